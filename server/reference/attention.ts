/**
 * Causal grouped-query attention for a chunk of queries at positions [start, start + n), over keys and
 * values at positions [0, start + n) (spec §3 steps 4-5): scores q·k * D^-0.5, keys after the query
 * masked out, softmax, weighted sum of values. Output heads are flattened head-major to [n, nH * D].
 */
import { kvHeadFor, softmaxInPlace } from "./ops";

export interface AttentionShape {
  numHeads: number;
  numKvHeads: number;
  headDim: number;
}

export function causalAttention(
  q: Float64Array,
  keys: Float64Array,
  values: Float64Array,
  start: number,
  n: number,
  shape: AttentionShape,
): Float64Array {
  const { numHeads: nH, numKvHeads: nKV, headDim: D } = shape;
  const scale = 1 / Math.sqrt(D);
  const out = new Float64Array(n * nH * D);
  const scores = new Float64Array(start + n);
  for (let t = 0; t < n; t++) {
    const pos = start + t;
    for (let h = 0; h < nH; h++) {
      const kvh = kvHeadFor(h, nH, nKV);
      const qo = (t * nH + h) * D;
      // Keys at positions > pos are the causal mask's -inf: they are simply left out of the softmax.
      for (let s = 0; s <= pos; s++) {
        const ko = (s * nKV + kvh) * D;
        let dot = 0;
        for (let d = 0; d < D; d++) dot += q[qo + d] * keys[ko + d];
        scores[s] = dot * scale;
      }
      softmaxInPlace(scores, pos + 1);
      for (let s = 0; s <= pos; s++) {
        const p = scores[s];
        const vo = (s * nKV + kvh) * D;
        for (let d = 0; d < D; d++) out[qo + d] += p * values[vo + d];
      }
    }
  }
  return out;
}
