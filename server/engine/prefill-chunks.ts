/**
 * How a prompt is cut into prefill passes: whole chunks while the cache is short, smaller ones as it grows,
 * so one pass's attention tensors stay bounded. Shared by the generation loop, `bitnet bench` and the probes.
 */
import type { ModelRunner } from "@/server/runtime/runner-types";

export const DEFAULT_PREFILL_CHUNK = 128;

/**
 * (new tokens × cache positions) one prefill pass may put into attention. Its score and probability
 * tensors grow with that product, and onnxruntime's arena keeps the largest size it ever served: with
 * 128-token chunks up to a 2k context the process peak was 65 MB higher (2B shape, docs/perf-journal/
 * 2026-11-30-15-shrinking-prefill-chunks.md). Up to a 384-token cache, chunks stay whole, so a fresh prompt's prefill
 * speed is unchanged; at 2k they are 30 tokens, 3–5 % slower there.
 */
const PREFILL_ATTENTION_BUDGET = 128 * 512;

/** The prefill chunk after `cached` positions: `max` while short, then shrinking so chunk × context stays in budget. */
export function prefillChunkAt(cached: number, max: number): number {
  const fit = Math.floor(PREFILL_ATTENTION_BUDGET / (cached + max));
  return Math.max(1, Math.min(max, Math.max(16, fit)));
}

/**
 * Runs `ids` through the runner in the engine's prefill chunks (no sampling, no events) and returns the
 * last position's logits: for benchmarks and probes that must use memory as the app does.
 */
export async function prefillInChunks(runner: ModelRunner, ids: readonly number[], max = DEFAULT_PREFILL_CHUNK): Promise<Float32Array> {
  let logits: Float32Array | null = null;
  for (let i = 0; i < ids.length; ) {
    const size = prefillChunkAt(runner.length, max);
    logits = await runner.forward(ids.slice(i, i + size));
    i += size;
  }
  if (!logits) throw new Error("nothing to prefill");
  return logits;
}
