/**
 * The float64 building blocks of BitNet's forward pass, written straight from docs/model-format.md §3
 * (HF modeling_bitnet.py + integrations/bitnet.py). Hand-written on purpose: this is the oracle the ONNX
 * graph is checked against, so it must not share code or libraries with it.
 * Row-major throughout: a [rows, cols] matrix is a flat array, row r at [r*cols, (r+1)*cols).
 */
import type { TernaryLinear } from "@/server/checkpoint/checkpoint";

/** torch.round / np.round: ties go to the even neighbour (2.5 → 2, 3.5 → 4, -2.5 → -2). */
export function roundHalfToEven(x: number): number {
  const r = Math.round(x); // ties toward +∞
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** RMSNorm of each row of x [rows, n] in place: w * x / sqrt(mean(x²) + eps); w omitted = ones. */
export function rmsNormRows(x: Float64Array, n: number, eps: number, w?: ArrayLike<number>): Float64Array {
  for (let r = 0; r < x.length / n; r++) {
    const o = r * n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += x[o + i] * x[o + i];
    const inv = 1 / Math.sqrt(ss / n + eps);
    for (let i = 0; i < n; i++) x[o + i] = x[o + i] * inv * (w ? w[i] : 1);
  }
  return x;
}

export interface QuantizedRow {
  /** Integers in [-128, 127]. */
  q: Float64Array;
  /** 127 / max(|x|, 1e-5): the row is approximately q / scale. */
  scale: number;
}

/** Per-token absmax int8 activation quantization (ActQuant). */
export function quantizeActivation(x: ArrayLike<number>, offset = 0, n = x.length): QuantizedRow {
  let a = 0;
  for (let i = 0; i < n; i++) a = Math.max(a, Math.abs(x[offset + i]));
  const scale = 127 / Math.max(a, 1e-5);
  const q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = Math.min(127, Math.max(-128, roundHalfToEven(x[offset + i] * scale)));
  return { q, scale };
}

export interface BitLinearOptions {
  /** quantization_config.use_rms_norm: a weightless RMSNorm (quant-config eps) before quantizing. */
  rmsNormEps?: number;
  /**
   * Quantize activations per block of this many columns instead of per token (the converter's
   * `--act-quant fast`: onnxruntime's int8 MatMulNBits path quantizes A per weight block, scale
   * absmax/127). Undefined = BitNet's per-token quantization.
   */
  activationBlock?: number;
}

/**
 * BitLinear over every row of x [rows, inFeatures] → [rows, outFeatures]:
 * y = (q @ Wt^T) / s * effectiveScale, i.e. (q/s) @ (ternary * weight_scale)^T for autobitlinear and
 * (q @ ternary^T) / (weight_scale * s) for bitlinear (effectiveScale = 1 / weight_scale).
 */
export function bitLinear(x: Float64Array, w: TernaryLinear, options: BitLinearOptions = {}): Float64Array {
  const { inFeatures: n, outFeatures: m, ternary } = w;
  const rows = x.length / n;
  const y = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++) {
    let src: Float64Array = x.subarray(r * n, (r + 1) * n);
    if (options.rmsNormEps !== undefined) src = rmsNormRows(Float64Array.from(src), n, options.rmsNormEps);
    const block = options.activationBlock ?? n;
    for (let b0 = 0; b0 < n; b0 += block) {
      const len = Math.min(block, n - b0);
      const { q, scale } = quantizeActivation(src, b0, len);
      const factor = w.effectiveScale / scale;
      for (let o = 0; o < m; o++) {
        // Integer products of |q| ≤ 128 summed over < 2^45 terms: exact in float64.
        let acc = 0;
        const wo = o * n + b0;
        for (let i = 0; i < len; i++) acc += q[i] * ternary[wo + i];
        y[r * m + o] += acc * factor;
      }
    }
  }
  return y;
}

/**
 * RoPE inverse frequencies exactly as HF builds them: 1 / theta^(2j/D) computed in float32.
 * Math.fround after each float32 operation reproduces torch's float32 arithmetic for / (correctly
 * rounded) and, for pow, to within torch's own powf rounding.
 */
export function ropeInvFreq(headDim: number, theta: number): Float64Array {
  const half = headDim / 2;
  const inv = new Float64Array(half);
  const base = Math.fround(theta);
  for (let j = 0; j < half; j++) {
    const exponent = Math.fround((2 * j) / headDim);
    inv[j] = Math.fround(1 / Math.fround(Math.pow(base, exponent)));
  }
  return inv;
}

/**
 * Rotates one head vector v[offset, offset + D) at position `pos`, half-split (NeoX) form:
 * v' = v*cos + rotate_half(v)*sin with rotate_half(v) = [-v2, v1]. The angle pos*inv_freq is a float32
 * product as in HF; cos/sin are then taken in float64 (HF rounds them to the model dtype, we do not).
 */
export function applyRope(v: Float64Array, offset: number, pos: number, invFreq: Float64Array): void {
  const half = invFreq.length;
  for (let j = 0; j < half; j++) {
    const angle = Math.fround(pos * invFreq[j]);
    const c = Math.cos(angle), s = Math.sin(angle);
    const x1 = v[offset + j], x2 = v[offset + half + j];
    v[offset + j] = x1 * c - x2 * s;
    v[offset + half + j] = x2 * c + x1 * s;
  }
}

/** GQA (`repeat_kv`): query head j reads kv head floor(j / (nH / nKV)). */
export function kvHeadFor(queryHead: number, numHeads: number, numKvHeads: number): number {
  return Math.floor(queryHead / (numHeads / numKvHeads));
}

/** relu(g)² * u elementwise into g (the BitNet MLP's activation, hidden_act "relu2"). */
export function relu2Mul(g: Float64Array, u: Float64Array): Float64Array {
  for (let i = 0; i < g.length; i++) {
    const r = g[i] > 0 ? g[i] : 0;
    g[i] = r * r * u[i];
  }
  return g;
}

/** silu(g) * u elementwise into g (llama.cpp's `bitnet` FFN, which does not read hidden_act). */
export function siluMul(g: Float64Array, u: Float64Array): Float64Array {
  for (let i = 0; i < g.length; i++) g[i] = (g[i] / (1 + Math.exp(-g[i]))) * u[i];
  return g;
}

/** Numerically stable softmax of scores[0, n) in place; -Infinity entries get probability 0. */
export function softmaxInPlace(scores: Float64Array, n = scores.length): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, scores[i]);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    scores[i] = Math.exp(scores[i] - max);
    sum += scores[i];
  }
  for (let i = 0; i < n; i++) scores[i] /= sum;
}
