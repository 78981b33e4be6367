/**
 * The server folders' layer map: enforced by tests/unit/import-layers.test.ts and drawn in ARCHITECTURE.md
 * (tests/unit/architecture-doc.test.ts keeps the two equal).
 *
 * Each folder's layer: a non-test file may import folders of a lower layer only (not its siblings).
 * The reference runner sits above runtime because it implements runtime's ModelRunner contract.
 */
export const LAYER: Record<string, number> = {
  checkpoint: 0,
  db: 0,
  // Process lifecycle: in-flight work and the shutdown sequence (the database only as a type).
  lifecycle: 1,
  hub: 1,
  convert: 1,
  demo: 1,
  runtime: 1,
  // Attached files: text out of text files and PDFs, token counts.
  files: 1,
  reference: 2,
  engine: 2,
  workers: 3,
  chat: 3,
  host: 4,
  // Sessions (in the store) and the key throttle: checked by http's helpers, proxy.ts and /v1.
  auth: 4,
  http: 5,
  // Above http: /v1 reads bodies with http's size-capped reader and checks keys with its helpers.
  openai: 6,
};
