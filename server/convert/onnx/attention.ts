/**
 * Causal grouped-query attention over a KV cache that the caller owns (see server/checkpoint/onnx-manifest.ts
 * for why this is not ORT's GroupQueryAttention): RoPE (half-split) on the new q/k, new k/v returned as
 * graph outputs, past k/v read straight from one input per layer and k|v, [kvHeads, C, D], a zero-copy
 * view of the runner's buffer (C ≥ L: unused capacity is masked). Scores for past and new keys are
 * computed separately (one matmul batched over all kv heads each), softmaxed jointly, and applied
 * separately, so nothing the size of the context is ever copied and the op count does not depend on
 * the number of heads.
 */
import { DataType } from "./onnx-proto";
import { GraphBuilder, MS_DOMAIN } from "./graph-builder";
import { cacheNames } from "./graph-names";

export interface AttentionShape {
  numHeads: number;
  numKvHeads: number;
  headDim: number;
}

/** Graph-wide tensors every layer's attention uses (built once). */
export interface AttentionShared {
  positionIds: string;
  /** [rep*S, C+S] additive mask over [past capacity | new positions] (0 or -inf). */
  mask: string;
  cos: string;
  sin: string;
  /** int64 [2] = [C, S], to split joint probabilities into past and new parts. */
  splitPastNew: string;
}

/** cos/sin tables [maxPositions, D/2] of RoPE angles pos * theta^(-2j/D), computed in float64. */
export function ropeTables(maxPositions: number, headDim: number, theta: number): { cos: Float32Array; sin: Float32Array } {
  const half = headDim / 2;
  const cos = new Float32Array(maxPositions * half);
  const sin = new Float32Array(maxPositions * half);
  for (let j = 0; j < half; j++) {
    // HF computes inv_freq in fp32; rounding it first keeps the angles identical.
    const invFreq = Math.fround(1 / Math.pow(theta, (2 * j) / headDim));
    for (let p = 0; p < maxPositions; p++) {
      const angle = p * invFreq;
      cos[p * half + j] = Math.cos(angle);
      sin[p * half + j] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

/** Returns the attention output [1, S, nH*D] for packed qkv [1, S, (nH + 2 nKV) * D]. */
export function attention(g: GraphBuilder, qkv: string, layer: number, shape: AttentionShape, shared: AttentionShared, name: string): string {
  const { numHeads: nH, numKvHeads: nKV, headDim: D } = shape;
  const rep = nH / nKV;
  const [q, k, v] = g.node("Split", [qkv, g.constant("qkv_sizes", DataType.INT64, [3], [nH * D, nKV * D, nKV * D])], {
    name: `${name}/split_qkv`,
    outputs: [`${name}/q`, `${name}/k`, cacheNames.newValue(layer)],
    exactOutputs: true,
    attributes: { axis: -1 },
  });
  const rope = (x: string, heads: number, out?: string) =>
    g.node("RotaryEmbedding", [x, shared.positionIds, shared.cos, shared.sin], {
      name: `${name}/rope_${heads}`,
      domain: MS_DOMAIN,
      outputs: [out ?? `${name}/rope_${heads}/out`],
      exactOutputs: out !== undefined,
      attributes: { interleaved: 0, num_heads: heads },
    })[0];
  const qRot = rope(q, nH);
  const kRot = rope(k, nKV, cacheNames.newKey(layer));
  const i64 = (label: string, values: number[]) => g.constant(label, DataType.INT64, [values.length], values);

  // Q: [1,S,nH*D] → [nKV, rep*S, D] (query head j = kvHead*rep + r uses kv head floor(j/rep)).
  const q4 = g.op("Reshape", [qRot, i64(`shape_q_${nKV}_${rep}_${D}`, [-1, nKV, rep, D])], `${name}/q_reshape`);
  const qt = g.op("Transpose", [q4], `${name}/q_transpose`, { perm: [1, 2, 0, 3] });
  const qg = g.op("Reshape", [qt, i64(`shape_g_${nKV}_${D}`, [nKV, -1, D])], `${name}/q_group`);
  const toHeads = (x: string, label: string) =>
    g.op("Transpose", [g.op("Reshape", [x, i64(`shape_kv_${nKV}_${D}`, [-1, nKV, D])], `${name}/${label}_reshape`)], `${name}/${label}_transpose`, { perm: [1, 0, 2] });
  const kNew = toHeads(kRot, "k");
  const vNew = toHeads(v, "v");

  const alpha = { float: 1 / Math.sqrt(D) };
  // Batched over kv heads: [nKV, rep*S, D] x [nKV, C, D]^T and x [nKV, S, D]^T.
  const scoresPast = g.op("FusedMatMul", [qg, cacheNames.pastKey(layer)], `${name}/scores_past`, { transB: 1, alpha }, MS_DOMAIN);
  const scoresNew = g.op("FusedMatMul", [qg, kNew], `${name}/scores_new`, { transB: 1, alpha }, MS_DOMAIN);
  const scores = g.op("Concat", [scoresPast, scoresNew], `${name}/scores`, { axis: -1 });
  const probs = g.op("Softmax", [g.op("Add", [scores, shared.mask], `${name}/mask`)], `${name}/softmax`, { axis: -1 });
  const [probsPast, probsNew] = g.node("Split", [probs, shared.splitPastNew], { name: `${name}/split_probs`, outputs: [`${name}/p_past`, `${name}/p_new`], attributes: { axis: -1 } });
  const outPast = g.op("MatMul", [probsPast, cacheNames.pastValue(layer)], `${name}/out_past`);
  const outNew = g.op("MatMul", [probsNew, vNew], `${name}/out_new`);
  const out = g.op("Add", [outPast, outNew], `${name}/out_sum`);
  // [nKV, rep*S, D] → [S, nKV, rep, D] → [1, S, nH*D] (heads flattened head-major).
  const o4 = g.op("Reshape", [out, i64(`shape_o_${nKV}_${rep}_${D}`, [nKV, rep, -1, D])], `${name}/o_reshape`);
  const ot = g.op("Transpose", [o4], `${name}/o_transpose`, { perm: [2, 0, 1, 3] });
  return g.op("Reshape", [ot, i64(`shape_out_${nH * D}`, [1, -1, nH * D])], `${name}/o_flat`);
}
