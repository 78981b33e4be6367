/**
 * `bitnet-manifest.json`: what a converted model folder contains and the contract of its graph.
 * The converter writes it, the runtime reads it; neither imports the other, so the graph's input and
 * output names travel here (`graph`), not as shared code.
 *
 * One call runs T new tokens of R sequences (R ≥ 1; sequence r has n_r ≥ 0 new tokens, T = Σ n_r, padded
 * row length S = max n_r; rep = heads / kv heads). Tokens are flat, sequence after sequence:
 * - `graph.inputsEmbeds` float32 [1, T, hidden]: the new tokens' embedding rows, which the runtime reads from
 *   the file itself (`embedding`, below); `graph.positionIds` int64 [1, T] = L_r .. L_r+n_r-1 for sequence r
 * - `graph.rowGather` int64 [R*S]: position i of row r holds flat token rowGather[r*S+i] (for i ≥ n_r any
 *   valid index: padding at the end of a row is never seen by the row's real queries)
 * - `graph.tokenGather` int64 [T]: flat token t sits at index tokenGather[t] = r*S+i of the padded block
 * - `graph.causalMask` float32 [rep*S, S]: row h*S+i, column j is 0 when j ≤ i else -inf (among the
 *   new positions of one row; shared by all rows)
 * - `graph.logitsIndex` int64 [K]: the flat tokens whose logits are wanted (only they reach the LM head)
 * - `graph.pastKey` (template over {layer}) [R, kvHeads, C, headDim] and `graph.pastValue`
 *   [R, kvHeads, headDim, C], both of type `kvDtype` (float16 or float32) (`graph.pastValueLayout`; transposed so the probabilities × values product is
 *   onnxruntime's transposed-B GEMM, which streams the values instead of packing them: ≈ 1.3–1.9× faster
 *   at a 2k context, docs/performance.md): the cached keys (after RoPE) and values of one layer, per
 *   sequence, in buffers of capacity C ≥ max L_r, fed as zero-copy views of the runner's buffers (one input
 *   per layer: the op count per step does not grow with the kv heads or the sequences)
 * - `graph.pastMask` float32 [R, C]: 0 for the L_r cached positions of sequence r, -inf for the rest
 * Graph outputs:
 * - `graph.logits` float32 [1, K, vocab]
 * - `graph.newKey`, `graph.newValue` (templates over {layer}) `kvDtype` [1, T, kvHeads*headDim]: the T
 *   new rows (flat order), which the runner writes into its cache buffers. With float16 the graph has
 *   already rounded them and computes this pass's attention with the rounded values (converter 8).
 *
 * The embedding lookup is outside the graph (converter 7): onnxruntime's GatherBlockQuantized read the tied
 * embedding from the mmap'ed external data, so every looked-up row's pages stayed resident next to the LM
 * head's prepacked copy of the same bytes (≈ 230 MB after a 2k context of varied tokens). Now the LM head is
 * the only user of those bytes (onnxruntime releases its mapping after prepacking) and the runtime reads one
 * row per token with a positioned read (server/runtime/embedding-rows.ts), through the page cache.
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
  /** Since converter 7 (was `inputIds`, int64 token ids gathered inside the graph). */
  inputsEmbeds: z.string(),
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

/**
 * Where the embedding rows are stored, for the runtime's lookup: `file` (relative to the folder) holds at
 * byte `offset` a row-major [vocab, hidden] table — block-quantized codes of `hidden·bits/8` bytes a row
 * (`embeddingBits` 4 or 8, two 4-bit codes per byte, low nibble first; value = (code − 2^(bits−1)) · scale),
 * whose float32 scales [vocab, hidden/embeddingBlockSize] start at `scalesOffset`; or, for
 * `embeddingBits` 16, float32 rows of `hidden·4` bytes and no scales. These are the LM head's
 * (MatMulNBits / Gemm) weight bytes, stored once.
 */
export const embeddingLayoutSchema = z.object({
  file: z.string(),
  offset: z.number().int().nonnegative(),
  scalesOffset: z.number().int().nonnegative().optional(),
});

export type EmbeddingLayout = z.infer<typeof embeddingLayoutSchema>;

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
  embedding: embeddingLayoutSchema,
  blockSize: z.number(),
  accuracyLevel: z.number(),
  lmHeadAccuracyLevel: z.number().optional(),
  fuseProjections: z.boolean(),
  /** BitLinear activation quantization (see server/convert/onnx/bitnet-graph.ts ActQuant). */
  actQuant: z.enum(["exact", "fast"]),
  /** Storage type of the KV cache: the past inputs and new-row outputs (since converter 8). */
  kvDtype: z.enum(["float16", "float32"]),
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
  /** The same graph with the ternary projections as TernaryMatMul (native/ternary), over the same weights (since converter 10). */
  ternaryGraph: z.string().optional(),
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
