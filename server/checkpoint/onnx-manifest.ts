/**
 * `bitnet-manifest.json`: what a converted model folder contains and the contract of its graph.
 * The converter writes it, the runtime reads it; neither imports the other, so the graph's input and
 * output names travel here (`graph`), not as shared code.
 *
 * Graph inputs (S = new tokens this call, L = positions already cached, rep = heads / kv heads):
 * - `graph.inputIds` int64 [1, S]; `graph.positionIds` int64 [1, S] = L .. L+S-1
 * - `graph.causalMask` float32 [rep*S, S]: row r*S+i, column j is 0 when j ≤ i else -inf (among the
 *   new tokens; every new token sees all L cached positions)
 * - `graph.numLogitsToKeep` int64 scalar: the LM head runs only on the last K positions
 * - `graph.pastKey`, `graph.pastValue` (templates over {layer}) float32 [kvHeads, C, headDim]: the cached
 *   keys (after RoPE) and values of one layer in buffers of capacity C ≥ L, fed as zero-copy views of the
 *   runner's buffers (one input per layer: the op count per step does not grow with the kv heads)
 * - `graph.pastMask` float32 [C]: 0 for the L cached positions, -inf for the unused capacity
 * Graph outputs:
 * - `graph.logits` float32 [1, K, vocab]
 * - `graph.newKey`, `graph.newValue` (templates over {layer}) float32 [1, S, kvHeads*headDim]: the S
 *   new rows, which the runner writes into its cache buffers.
 *
 * Why not GroupQueryAttention's shared past/present buffer: onnxruntime-node copies every fetched
 * output (preallocated or not) into a new JS ArrayBuffer after each run, so a present KV output the
 * size of the cache costs a full-cache copy per token. Feeding the past as inputs (zero-copy) and
 * fetching only the new rows keeps the per-token cost independent of the cache size.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

export const MANIFEST_FILE = "bitnet-manifest.json";

/** Names of the graph's inputs and outputs; per-layer names are templates over `{layer}`. */
export const graphNamesSchema = z.object({
  inputIds: z.string(),
  positionIds: z.string(),
  causalMask: z.string(),
  numLogitsToKeep: z.string(),
  pastMask: z.string(),
  pastKey: z.string(),
  pastValue: z.string(),
  logits: z.string(),
  newKey: z.string(),
  newValue: z.string(),
});

export type GraphNames = z.infer<typeof graphNamesSchema>;

/** Fills a name template: `past_key.{layer}` with { layer: 3 } → `past_key.3`. */
export function graphName(template: string, slots: { layer: number }): string {
  return template.replaceAll("{layer}", String(slots.layer));
}

export const manifestSchema = z.object({
  converterVersion: z.string(),
  source: z.object({
    dir: z.string(),
    sha256: z.string(),
    files: z.array(z.object({ name: z.string(), size: z.number(), mtimeMs: z.number() })),
  }),
  embeddingBits: z.union([z.literal(4), z.literal(8), z.literal(16)]),
  embeddingBlockSize: z.number(),
  blockSize: z.number(),
  accuracyLevel: z.number(),
  lmHeadAccuracyLevel: z.number().optional(),
  fuseProjections: z.boolean(),
  /** BitLinear activation quantization (see server/convert/onnx/bitnet-graph.ts ActQuant). */
  actQuant: z.enum(["exact", "fast"]),
  numLayers: z.number(),
  hiddenSize: z.number(),
  numHeads: z.number(),
  numKvHeads: z.number(),
  headDim: z.number(),
  vocabSize: z.number(),
  maxPositions: z.number(),
  bosTokenId: z.number(),
  eosTokenIds: z.array(z.number()),
  graph: graphNamesSchema,
  createdAt: z.string(),
});

export type BitNetManifest = z.infer<typeof manifestSchema>;

export function readManifest(dir: string): BitNetManifest {
  const file = path.join(dir, MANIFEST_FILE);
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join(".") || "(root)").join(", ");
    throw new Error(`${file} was written by another converter version (fields: ${fields}); convert the checkpoint again with \`bitnet convert\`.`);
  }
  return parsed.data;
}
