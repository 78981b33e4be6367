/**
 * `bitnet-manifest.json`: what a converted model folder contains and the contract of its graph.
 * The converter writes it, the runtime reads it; neither imports the other, so the graph's input and
 * output names travel here (`graph`), not as shared code.
 *
 * One call runs T new tokens of R sequences (R ≥ 1; sequence r has n_r ≥ 0 new tokens, T = Σ n_r, padded
 * row length S = max n_r; rep = heads / kv heads). Tokens are flat, sequence after sequence:
 * - `graph.inputIds` int64 [1, T]; `graph.positionIds` int64 [1, T] = L_r .. L_r+n_r-1 for sequence r
 * - `graph.rowGather` int64 [R*S]: position i of row r holds flat token rowGather[r*S+i] (for i ≥ n_r any
 *   valid index: padding at the end of a row is never seen by the row's real queries)
 * - `graph.tokenGather` int64 [T]: flat token t sits at index tokenGather[t] = r*S+i of the padded block
 * - `graph.causalMask` float32 [rep*S, S]: row h*S+i, column j is 0 when j ≤ i else -inf (among the
 *   new positions of one row; shared by all rows)
 * - `graph.logitsIndex` int64 [K]: the flat tokens whose logits are wanted (only they reach the LM head)
 * - `graph.pastKey` (template over {layer}) float32 [R, kvHeads, C, headDim] and `graph.pastValue` float32
 *   [R, kvHeads, headDim, C] (`graph.pastValueLayout`; transposed so the probabilities × values product is
 *   onnxruntime's transposed-B GEMM, which streams the values instead of packing them: ≈ 1.3–1.9× faster
 *   at a 2k context, docs/performance.md): the cached keys (after RoPE) and values of one layer, per
 *   sequence, in buffers of capacity C ≥ max L_r, fed as zero-copy views of the runner's buffers (one input
 *   per layer: the op count per step does not grow with the kv heads or the sequences)
 * - `graph.pastMask` float32 [R, C]: 0 for the L_r cached positions of sequence r, -inf for the rest
 * Graph outputs:
 * - `graph.logits` float32 [1, K, vocab]
 * - `graph.newKey`, `graph.newValue` (templates over {layer}) float32 [1, T, kvHeads*headDim]: the T
 *   new rows (flat order), which the runner writes into its cache buffers.
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
  logitsIndex: z.string(),
  pastMask: z.string(),
  rowGather: z.string(),
  tokenGather: z.string(),
  pastKey: z.string(),
  pastValue: z.string(),
  /** Since converter 6 the past values are stored transposed (see above); older layouts must reconvert. */
  pastValueLayout: z.literal("R,kvHeads,headDim,C"),
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
