/** Test helper: the sampler's distribution computed independently (for token-logprobs tests). */
import type { SamplerOptions } from "../sampler";

function logSumExp(values: ArrayLike<number>, ids: readonly number[]): number {
  let m = -Infinity;
  for (const i of ids) m = Math.max(m, values[i]!);
  let s = 0;
  for (const i of ids) s += Math.exp(values[i]! - m);
  return m + Math.log(s);
}

/**
 * The sampled distribution written out the slow, obvious way (HF order: penalty → temperature → top-k →
 * top-p over the whole vocabulary, sorted): log-probabilities, -Infinity outside the kept set.
 */
export function referenceDistribution(raw: Float32Array, seen: ReadonlySet<number>, o: Omit<SamplerOptions, "seed">): { sampled: Float64Array; rawLog: Float64Array; order: number[] } {
  const n = raw.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const p = o.repetitionPenalty;
  const pen = Float32Array.from(raw, (v, i) => (seen.has(i) && p !== 1 ? (v < 0 ? v * p : v / p) : v));
  const rawLse = logSumExp(raw, all);
  const rawLog = Float64Array.from(raw, (v) => v - rawLse);
  const order = all.sort((a, b) => pen[b]! - pen[a]! || a - b);
  const sampled = new Float64Array(n).fill(-Infinity);
  if (!(o.temperature > 0)) {
    const lse = logSumExp(pen, order);
    for (let i = 0; i < n; i++) sampled[i] = pen[i]! - lse;
    return { sampled, rawLog, order };
  }
  const scaled = Float64Array.from(pen, (v) => v / o.temperature);
  let kept = o.topK > 0 && o.topK < n ? order.slice(0, o.topK) : order;
  if (o.topP < 1) {
    const lse = logSumExp(scaled, kept);
    let cum = 0;
    let size = 0;
    while (size < kept.length && (size === 0 || cum < o.topP)) cum += Math.exp(scaled[kept[size++]!]! - lse);
    kept = kept.slice(0, size);
  }
  const lse = logSumExp(scaled, kept);
  for (const i of kept) sampled[i] = scaled[i]! - lse;
  return { sampled, rawLog, order };
}

