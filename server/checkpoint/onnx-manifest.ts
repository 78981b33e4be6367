/**
 * `bitnet-manifest.json`: what a converted model folder contains and the contract of its graph.
 *
 * Graph inputs (S = new tokens this call, L = positions already cached, rep = heads / kv heads):
 * - `input_ids` int64 [1, S]; `position_ids` int64 [1, S] = L .. L+S-1
 * - `causal_mask` float32 [rep*S, S]: row r*S+i, column j is 0 when j ≤ i else -inf (among the new tokens;
 *   every new token sees all L cached positions)
 * - `num_logits_to_keep` int64 scalar: the LM head runs only on the last K positions
 * - `past_key.{layer}.{kvHead}`, `past_value.{layer}.{kvHead}` float32 [L, headDim]: the cached keys
 *   (after RoPE) and values of one kv head, fed as zero-copy views of the runner's buffers
 * Graph outputs:
 * - `logits` float32 [1, K, vocab]
 * - `new_key.{layer}`, `new_value.{layer}` float32 [1, S, kvHeads*headDim]: the S new rows, which the
 *   runner writes into its cache buffers.
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
/** Bump whenever the graph or weight layout changes: cached conversions are then redone. */
export const CONVERTER_VERSION = "1";

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
  numLayers: z.number(),
  hiddenSize: z.number(),
  numHeads: z.number(),
  numKvHeads: z.number(),
  headDim: z.number(),
  vocabSize: z.number(),
  maxPositions: z.number(),
  bosTokenId: z.number(),
  eosTokenIds: z.array(z.number()),
  createdAt: z.string(),
});

export type BitNetManifest = z.infer<typeof manifestSchema>;

export function readManifest(dir: string): BitNetManifest {
  const file = path.join(dir, MANIFEST_FILE);
  return manifestSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}
