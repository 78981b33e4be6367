/**
 * Op helpers for the BitNet graph: each emits a few nodes into a GraphBuilder and returns the
 * name of its output. Numerics follow docs/model-format.md §3.
 */
import { DataType } from "./onnx-proto";
import { GraphBuilder, MS_DOMAIN } from "./graph-builder";
import type { PackedNBits } from "./quantize";

/** RMSNorm over the last axis (fp32 statistics), no residual. */
export function rmsNorm(g: GraphBuilder, x: string, weight: string, eps: number, name: string): string {
  return g.op("SimplifiedLayerNormalization", [x, weight], name, { axis: -1, epsilon: { float: eps }, stash_type: 1 });
}

/** residual + delta, then RMSNorm of the sum: returns [normed, sum]. Saves one pass over the residual stream. */
export function addRmsNorm(g: GraphBuilder, residual: string, delta: string, weight: string, eps: number, name: string): [string, string] {
  const [normed, , , sum] = g.node("SkipSimplifiedLayerNormalization", [residual, delta, weight], {
    name,
    domain: MS_DOMAIN,
    outputs: [`${name}/out`, "", "", `${name}/sum`],
    exactOutputs: true,
    attributes: { epsilon: { float: eps } },
  });
  return [normed, sum];
}

/**
 * BitNet's per-token activation quantization (ActQuant): a = max(|x|) over the last axis, clamped
 * to ≥ 1e-5; s = 127/a; q = round(x*s). Returns the integer-valued q and s (the dequantized
 * activation is q/s). ONNX Round is half-to-even, like torch.round. BitNet clips q to [-128, 127]; no
 * Clip node is needed because |x*s| ≤ 127 by construction (a ≥ |x|), so round() stays within ±127.
 */
export function actQuant(g: GraphBuilder, x: string, name: string): { q: string; s: string } {
  const abs = g.op("Abs", [x], `${name}/abs`);
  const amax = g.op("ReduceMax", [abs, g.constant("axes_last", DataType.INT64, [1], [-1])], `${name}/amax`, { keepdims: 1 });
  const a = g.op("Max", [amax, g.constant("act_eps", DataType.FLOAT, [], [1e-5])], `${name}/clamp`);
  const s = g.op("Div", [g.constant("c127", DataType.FLOAT, [], [127]), a], `${name}/scale`);
  const scaled = g.op("Mul", [x, s], `${name}/mul`);
  const q = g.op("Round", [scaled], `${name}/round`);
  return { q, s };
}

/**
 * Lays integer activations [1, S, K] out for MatMulNBits' int8 path (accuracy_level 4), which
 * re-quantizes each block of A with scale absmax/127. Every block gets blockSize-1 real values plus
 * one sentinel 127 (paired with a zero weight, see packTernary2Bit), so every block's scale is
 * exactly 1 and the integers pass through unchanged: the int8 kernel stays bit-faithful.
 */
export function sentinelLayout(g: GraphBuilder, q: string, k: number, blockSize: number, name: string): string {
  const per = blockSize - 1;
  const blocks = Math.ceil(k / per);
  const last = g.constant("axes_last", DataType.INT64, [1], [-1]);
  let padded = q;
  if (blocks * per !== k) {
    padded = g.op("Pad", [q, g.constant(`pads_0_${blocks * per - k}`, DataType.INT64, [2], [0, blocks * per - k]), g.constant("c0", DataType.FLOAT, [], [0]), last], `${name}/pad_k`);
  }
  const grouped = g.op("Reshape", [padded, g.constant(`shape_grp_${blocks}_${per}`, DataType.INT64, [4], [0, 0, blocks, per])], `${name}/group`);
  const withSentinel = g.op("Pad", [grouped, g.constant("pads_0_1", DataType.INT64, [2], [0, 1]), g.constant("c127", DataType.FLOAT, [], [127]), last], `${name}/sentinel`);
  return g.op("Reshape", [withSentinel, g.constant(`shape_flat_${blocks * blockSize}`, DataType.INT64, [3], [0, 0, blocks * blockSize])], `${name}/flatten`);
}

export interface MatMulNBitsOptions {
  accuracyLevel: number;
  /**
   * The block scales are all 1 and the zero points all equal (the caller folded the matrix's scale
   * elsewhere): store one scales and one zero-point tensor per shape, shared by every node of that shape.
   * Why: onnxruntime's int8 path copies scales and zero points into its packed weights but keeps the
   * originals mapped (≈ 65 MB resident for the 2B model, docs/performance.md "The projections' weight
   * scales folded out of MatMulNBits").
   */
  shareUnitScales?: boolean;
}

/** y = x @ dequant(W)^T with W stored block-quantized (weights streamed to external data). */
export function matMulNBits(g: GraphBuilder, x: string, w: PackedNBits, name: string, opts: MatMulNBitsOptions): string {
  const kBlocks = Math.ceil(w.k / w.blockSize);
  const blob = (w.blockSize * w.bits) / 8;
  const b = g.weight(`${name}.qweight`, DataType.UINT8, [w.n, kBlocks, blob], w.b);
  const scaleBytes = new Uint8Array(w.scales.buffer, w.scales.byteOffset, w.scales.byteLength);
  let scales: string;
  let zeroPoints: string | undefined;
  if (opts.shareUnitScales) {
    if (!w.scales.every((x) => x === 1)) throw new Error(`${name}: shared block scales must all be 1`);
    if (w.zeroPoints && !w.zeroPoints.every((z) => z === w.zeroPoints![0])) throw new Error(`${name}: shared zero points must all be equal`);
    scales = g.sharedWeight(`unit_scales.${w.n}x${kBlocks}`, DataType.FLOAT, [w.n * kBlocks], scaleBytes);
    if (w.zeroPoints) zeroPoints = g.sharedWeight(`zero_points.${w.n}x${w.zeroPoints.length / w.n}.${w.zeroPoints[0]}`, DataType.UINT8, [w.zeroPoints.length], w.zeroPoints);
  } else {
    scales = g.weight(`${name}.scales`, DataType.FLOAT, [w.n * kBlocks], scaleBytes);
    if (w.zeroPoints) zeroPoints = g.weight(`${name}.zero_points`, DataType.UINT8, [w.zeroPoints.length], w.zeroPoints);
  }
  const node = matMulNBitsNode(g, zeroPoints ? [x, b, scales, zeroPoints] : [x, b, scales], w, name, opts);
  // 0x55: zero point 1 in all four 2-bit slots (quantize.ts packTernary2Bit).
  if (opts.shareUnitScales && w.bits === 2 && w.zeroPoints?.[0] === 0x55) g.unitTernaryNodes.add(g.nodes[g.nodes.length - 1].name);
  return node;
}

/** The MatMulNBits node alone, for weights already in the graph (the shared embedding). */
export function matMulNBitsNode(g: GraphBuilder, inputs: string[], w: Pick<PackedNBits, "n" | "k" | "bits" | "blockSize">, name: string, opts: MatMulNBitsOptions): string {
  return g.op(
    "MatMulNBits",
    inputs,
    name,
    { K: w.k, N: w.n, bits: w.bits, block_size: w.blockSize, accuracy_level: opts.accuracyLevel },
    MS_DOMAIN,
  );
}

/** Splits the last axis into parts of the given sizes. */
export function splitLast(g: GraphBuilder, x: string, sizes: number[], name: string): string[] {
  return g.node("Split", [x, g.constant(`${name}/sizes`, DataType.INT64, [sizes.length], sizes)], {
    name,
    outputs: sizes.map((_, i) => `${name}/out${i}`),
    attributes: { axis: -1 },
  });
}
