/**
 * Causal grouped-query attention over a KV cache that the caller owns (see server/checkpoint/onnx-manifest.ts
 * for why this is not ORT's GroupQueryAttention): RoPE (half-split) on the new q/k, new k/v returned as
 * graph outputs, past k/v read straight from one input per layer and k|v, [R, kvHeads, C, D] (R sequences,
 * each row its own cache; values transposed, [R, kvHeads, D, C]), a zero-copy view of the runner's buffers (C ≥ L: unused capacity is masked). Scores for past and new keys are
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
  /**
   * Factor on q·k beyond 1/√headDim: the q and k projections' scales, which the graph folds out of their
   * MatMulNBits (see bitnet-graph.ts "Scales"); the cached keys are then the unscaled ones.
   */
  scoreScale?: number;
  /** The cache stores fp16 (graph inputs past_key/past_value and outputs new_key/new_value are float16). */
  kvFloat16?: boolean;
}

/** Graph-wide tensors every layer's attention uses (built once). */
export interface AttentionShared {
  positionIds: string;
  /** [R, 1, rep*S, C+S] additive mask over [row's past capacity | row's new positions] (0 or -inf). */
  mask: string;
  /** int64 [R*S]: for each padded row position, the flat token it holds (see the manifest's rowGather). */
  rowGather: string;
  /** int64 [T]: for each flat token, its index in the padded [R*S] block. */
  tokenGather: string;
  /** int64 shape [-1, S, ...dims] for a Reshape of gathered rows (S = the padded row length). */
  rowShape: (label: string, dims: number[]) => string;
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

/**
 * Returns the attention output [1, T, nH*D] for packed qkv [1, T, (nH + 2 nKV) * D]: T new tokens of R
 * sequences, flat. Each sequence's tokens are gathered into its row of a padded [R, S] block (right-padded,
 * so the causal mask alone keeps real queries off the padding), attend to that row's own past [R, nKV, C, D]
 * and are gathered back to flat order; the linears around attention only ever see the T real tokens.
 */
export function attention(g: GraphBuilder, qkv: string, layer: number, shape: AttentionShape, shared: AttentionShared, name: string): string {
  const { numHeads: nH, numKvHeads: nKV, headDim: D } = shape;
  const rep = nH / nKV;
  const f16 = shape.kvFloat16 === true;
  // With an fp16 cache the new keys and values are rounded to fp16 (the graph's outputs) and used as such
  // here too, so attending to a position gives the same result in its own pass as from the cache later.
  const stored = (x: string, out: string, label: string): string => {
    if (!f16) return x;
    const half = g.node("Cast", [x], { name: `${name}/${label}_to_f16`, outputs: [out], exactOutputs: true, attributes: { to: DataType.FLOAT16 } })[0];
    return g.op("Cast", [half], `${name}/${label}_from_f16`, { to: DataType.FLOAT });
  };
  const past = (input: string, label: string): string => (f16 ? g.op("Cast", [input], `${name}/${label}_past_f32`, { to: DataType.FLOAT }) : input);
  const [q, k, vComputed] = g.node("Split", [qkv, g.constant("qkv_sizes", DataType.INT64, [3], [nH * D, nKV * D, nKV * D])], {
    name: `${name}/split_qkv`,
    outputs: [`${name}/q`, `${name}/k`, f16 ? `${name}/v` : cacheNames.newValue(layer)],
    exactOutputs: true,
    attributes: { axis: -1 },
  });
  const v = stored(vComputed, cacheNames.newValue(layer), "v");
  const rope = (x: string, heads: number, out?: string) =>
    g.node("RotaryEmbedding", [x, shared.positionIds, shared.cos, shared.sin], {
      name: `${name}/rope_${heads}`,
      domain: MS_DOMAIN,
      outputs: [out ?? `${name}/rope_${heads}/out`],
      exactOutputs: out !== undefined,
      attributes: { interleaved: 0, num_heads: heads },
    })[0];
  const qRot = rope(q, nH);
  const kRot = stored(rope(k, nKV, f16 ? undefined : cacheNames.newKey(layer)), cacheNames.newKey(layer), "k");
  const i64 = (label: string, values: number[]) => g.constant(label, DataType.INT64, [values.length], values);
  const toRows = (x: string, label: string) => g.op("Gather", [x, shared.rowGather], `${name}/${label}_rows`, { axis: 1 });

  // Q: [1,T,nH*D] → rows [R,S,nKV,rep,D] → [R, nKV, rep*S, D] (query head j = kvHead*rep + r uses kv head floor(j/rep)).
  const q5 = g.op("Reshape", [toRows(qRot, "q"), shared.rowShape(`${name}/q`, [nKV, rep, D])], `${name}/q_reshape`);
  const qt = g.op("Transpose", [q5], `${name}/q_transpose`, { perm: [0, 2, 3, 1, 4] });
  const qg = g.op("Reshape", [qt, i64(`shape_g_${nKV}_${D}`, [0, nKV, -1, D])], `${name}/q_group`);
  // K/V: [1,T,nKV*D] → rows [R,S,nKV,D] → [R, nKV, S, D].
  const toHeads = (x: string, label: string) =>
    g.op("Transpose", [g.op("Reshape", [toRows(x, label), shared.rowShape(`${name}/${label}`, [nKV, D])], `${name}/${label}_reshape`)], `${name}/${label}_transpose`, {
      perm: [0, 2, 1, 3],
    });
  const kNew = toHeads(kRot, "k");
  const vNew = toHeads(v, "v");

  const alpha = { float: (shape.scoreScale ?? 1) / Math.sqrt(D) };
  // Batched over rows and kv heads: [R, nKV, rep*S, D] x [R, nKV, C, D]^T and x [R, nKV, S, D]^T.
  const scoresPast = g.op("FusedMatMul", [qg, past(cacheNames.pastKey(layer), "k")], `${name}/scores_past`, { transB: 1, alpha }, MS_DOMAIN);
  const scoresNew = g.op("FusedMatMul", [qg, kNew], `${name}/scores_new`, { transB: 1, alpha }, MS_DOMAIN);
  const scores = g.op("Concat", [scoresPast, scoresNew], `${name}/scores`, { axis: -1 });
  const probs = g.op("Softmax", [g.op("Add", [scores, shared.mask], `${name}/mask`)], `${name}/softmax`, { axis: -1 });
  const [probsPast, probsNew] = g.node("Split", [probs, shared.splitPastNew], { name: `${name}/split_probs`, outputs: [`${name}/p_past`, `${name}/p_new`], attributes: { axis: -1 } });
  // Past values are stored [R, nKV, D, C]: a transposed-B product streams them (MatMul on [C, D] packs them first).
  const outPast = g.op("FusedMatMul", [probsPast, past(cacheNames.pastValue(layer), "v")], `${name}/out_past`, { transB: 1 }, MS_DOMAIN);
  const outNew = g.op("MatMul", [probsNew, vNew], `${name}/out_new`);
  const out = g.op("Add", [outPast, outNew], `${name}/out_sum`);
  // [R, nKV, rep*S, D] → [R, S, nKV, rep, D] → [1, R*S, nH*D] (heads flattened head-major) → the T real tokens.
  const o5 = g.op("Reshape", [out, i64(`shape_o_${nKV}_${rep}_${D}`, [0, nKV, rep, -1, D])], `${name}/o_reshape`);
  const ot = g.op("Transpose", [o5], `${name}/o_transpose`, { perm: [0, 3, 1, 2, 4] });
  const flat = g.op("Reshape", [ot, i64(`shape_out_${nH * D}`, [1, -1, nH * D])], `${name}/o_flat`);
  return g.op("Gather", [flat, shared.tokenGather], `${name}/o_tokens`, { axis: 1 });
}
