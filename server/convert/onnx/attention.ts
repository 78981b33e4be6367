/**
 * Causal grouped-query attention over a KV cache that the caller owns (see
 * server/checkpoint/onnx-manifest.ts for why this is not ORT's GroupQueryAttention): RoPE (half-split) on the new q/k, new k/v returned as
 * graph outputs, past k/v read straight from per-(layer, kv head) inputs [L, D] that are zero-copy
 * views of the runner's buffers. Scores for past and new keys are computed separately, softmaxed
 * jointly, and applied separately, so nothing the size of the context is ever copied.
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
  /** [rep*S, S] additive causal mask among the new positions (0 or -inf). */
  causalMask: string;
  cos: string;
  sin: string;
  /** int64 [2] = [L, S], to split joint probabilities into past and new parts. */
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
  const scoresNew = g.op("FusedMatMul", [qg, kNew], `${name}/scores_new`, { transB: 1, alpha }, MS_DOMAIN);
  const scoresNewMasked = g.op("Add", [scoresNew, shared.causalMask], `${name}/mask`);

  const qHeads = g.node("Split", [qg], { name: `${name}/split_q`, outputs: Array.from({ length: nKV }, (_, h) => `${name}/q${h}`), attributes: { axis: 0, num_outputs: nKV } });
  const scoresPast = qHeads.map((qh, h) =>
    g.op("FusedMatMul", [qh, cacheNames.pastKey(layer, h)], `${name}/scores_past${h}`, { transB: 1, alpha }, MS_DOMAIN),
  );
  const pastAll = nKV === 1 ? scoresPast[0] : g.op("Concat", scoresPast, `${name}/scores_past`, { axis: 0 });
  const scores = g.op("Concat", [pastAll, scoresNewMasked], `${name}/scores`, { axis: -1 });
  const probs = g.op("Softmax", [scores], `${name}/softmax`, { axis: -1 });
  const [probsPast, probsNew] = g.node("Split", [probs, shared.splitPastNew], { name: `${name}/split_probs`, outputs: [`${name}/p_past`, `${name}/p_new`], attributes: { axis: -1 } });
  const outNew = g.op("MatMul", [probsNew, vNew], `${name}/out_new`);
  const pHeads = nKV === 1 ? [probsPast] : g.node("Split", [probsPast], { name: `${name}/split_p`, outputs: Array.from({ length: nKV }, (_, h) => `${name}/p${h}`), attributes: { axis: 0, num_outputs: nKV } });
  const outPastHeads = pHeads.map((ph, h) => g.op("MatMul", [ph, cacheNames.pastValue(layer, h)], `${name}/out_past${h}`));
  const outPast = nKV === 1 ? outPastHeads[0] : g.op("Concat", outPastHeads, `${name}/out_past`, { axis: 0 });
  const out = g.op("Add", [outPast, outNew], `${name}/out_sum`);
  // [nKV, rep*S, D] → [S, nKV, rep, D] → [1, S, nH*D] (heads flattened head-major).
  const o4 = g.op("Reshape", [out, i64(`shape_o_${nKV}_${rep}_${D}`, [nKV, rep, -1, D])], `${name}/o_reshape`);
  const ot = g.op("Transpose", [o4], `${name}/o_transpose`, { perm: [2, 0, 1, 3] });
  return g.op("Reshape", [ot, i64(`shape_out_${nH * D}`, [1, -1, nH * D])], `${name}/o_flat`);
}
