/**
 * The server folders import only downward (ARCHITECTURE.md): checkpoint at the bottom; hub, convert,
 * demo and runtime on it (and not on each other); engine and reference on runtime; chat and workers on
 * engine; host, openai and http wire them for the app. Tests and test helpers are not checked.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Each folder's layer: a non-test file may import folders of a lower layer only (not its siblings).
 * The reference runner sits above runtime because it implements runtime's ModelRunner contract.
 */
const LAYER: Record<string, number> = {
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
  http: 5,
  // Above http: /v1 reads bodies with http's size-capped reader and checks keys with its helpers.
  openai: 6,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "testing" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function importedSpecifiers(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)"([^"]+)"/g)].map((m) => m[1]);
}

/** The server folder a specifier points into (`@/server/x/…`, or a relative path that leaves its folder), if any. */
function serverFolderOf(spec: string, file: string): string | undefined {
  const aliased = spec.match(/^@\/server\/([^/]+)/);
  if (aliased) return aliased[1];
  if (!spec.startsWith(".")) return undefined;
  const rel = path.relative(path.join(ROOT, "server"), path.resolve(path.dirname(file), spec));
  return rel.startsWith("..") ? undefined : rel.split(path.sep)[0];
}

describe("server/ import layers", () => {
  const folders = readdirSync(path.join(ROOT, "server"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);

  it("every server folder has a place in the layer map", () => {
    expect(folders.filter((f) => !(f in LAYER))).toEqual([]);
  });

  it("non-test files import only the folders below them, and never app/ or components/", () => {
    const violations: string[] = [];
    for (const folder of folders) {
      for (const file of sourceFiles(path.join(ROOT, "server", folder))) {
        for (const spec of importedSpecifiers(file)) {
          const rel = path.relative(ROOT, file);
          const target = serverFolderOf(spec, file);
          if (target && target !== folder && !((LAYER[target] ?? Infinity) < (LAYER[folder] ?? -1))) violations.push(`${rel} → ${spec}`);
          if (/^@\/(app|components)\//.test(spec)) violations.push(`${rel} → ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("each folder's main file opens with a header saying what the folder is for", () => {
    const withoutHeader = folders.filter((folder) => {
      const dir = path.join(ROOT, "server", folder);
      return !readdirSync(dir).some((name) => /\.tsx?$/.test(name) && readFileSync(path.join(dir, name), "utf8").startsWith(`/**\n * server/${folder}/ — `));
    });
    expect(withoutHeader).toEqual([]);
  });

  it("the engine and everything below it know no wire schema (lib/schemas): chat, openai and http map to it", () => {
    // db is left out: it stores the API's stats and params JSON as they are on the wire.
    const below = folders.filter((folder) => LAYER[folder]! <= LAYER.engine! && folder !== "db");
    const violations = below.flatMap((folder) =>
      sourceFiles(path.join(ROOT, "server", folder)).flatMap((file) =>
        importedSpecifiers(file)
          .filter((spec) => spec.startsWith("@/lib/schemas"))
          .map((spec) => `${path.relative(ROOT, file)} → ${spec}`),
      ),
    );
    expect(below).toContain("engine");
    expect(violations).toEqual([]);
  });

  it("lib/ (isomorphic) imports nothing from server/", () => {
    const violations = sourceFiles(path.join(ROOT, "lib")).flatMap((file) =>
      importedSpecifiers(file)
        .filter((spec) => spec.startsWith("@/server/"))
        .map((spec) => `${path.relative(ROOT, file)} → ${spec}`),
    );
    expect(violations).toEqual([]);
  });
});
