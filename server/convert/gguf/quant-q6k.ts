/**
 * Q6_K: super-blocks of 256 values = 16 sub-blocks of 16, each with an int8 scale; one f16 super scale d.
 * Layout { uint8 ql[128]; uint8 qh[64]; int8 scales[16]; f16 d }; a value is d * scales[s] * (q - 32) with
 * a 6-bit q. Within each half (128 values, 64 ql bytes, 32 qh bytes, 8 scales) value l + 32*k (l < 32,
 * k = 0..3) keeps its low 4 bits in ql[l + 32*(k & 1)] (low nibble for k < 2, high nibble for k >= 2)
 * and its top 2 bits in qh[l] bits 2k..2k+1. Scale search as ggml quantize_row_q6_K_ref (make_qx_quants,
 * rmse_type 1: weights x², 19 candidate scales).
 */
import { f16BitsToNumber, numberToF16Bits } from "@/server/checkpoint/bf16";
import { GGML_BLOCK } from "./ggml-types";

const QK = GGML_BLOCK.Q6_K.elements;
const BLOCK_BYTES = GGML_BLOCK.Q6_K.bytes;
const GROUP_MAX_EPS = 1e-15;
const f = Math.fround;

/** ggml nearest_int: round half to even (the float64 magic-number trick; exact for |v| < 2^51). */
function nearestInt(v: number): number {
  return v + 6755399441055744 - 6755399441055744;
}

const W = new Float64Array(16);
const WX = new Float64Array(16);

/**
 * make_qx_quants(16, 32, x, L, 1, NULL): the sub-block scale minimizing the x²-weighted squared error over
 * 19 candidate inverse scales; L gets codes 0..63 (q + 32). Sums run in float64 (ggml: float32), which can
 * pick a different candidate only when two are within float32 rounding of each other.
 */
function makeQxQuants(x: Float32Array, off: number, L: Int8Array, lOff: number): number {
  const n = 16, nmax = 32;
  let max = 0, amax = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[off + i];
    const ax = Math.abs(xi);
    if (ax > amax) {
      amax = ax;
      max = xi;
    }
    W[i] = xi * xi;
    WX[i] = W[i] * xi;
  }
  if (amax < GROUP_MAX_EPS) {
    L.fill(0, lOff, lOff + n);
    return 0;
  }
  let bestIscale = -nmax / max;
  let sumlx = 0, suml2 = 0;
  for (let i = 0; i < n; i++) {
    let l = nearestInt(bestIscale * x[off + i]);
    l = l < -nmax ? -nmax : l > nmax - 1 ? nmax - 1 : l;
    sumlx += WX[i] * l;
    suml2 += W[i] * l * l;
  }
  let scale = suml2 ? sumlx / suml2 : 0;
  let best = scale * sumlx;
  for (let is = -9; is <= 9; is++) {
    if (is === 0) continue;
    const iscale = -(nmax + 0.1 * is) / max;
    sumlx = 0;
    suml2 = 0;
    for (let i = 0; i < n; i++) {
      let l = nearestInt(iscale * x[off + i]);
      l = l < -nmax ? -nmax : l > nmax - 1 ? nmax - 1 : l;
      sumlx += WX[i] * l;
      suml2 += W[i] * l * l;
    }
    if (suml2 > 0 && sumlx * sumlx > best * suml2) {
      bestIscale = iscale;
      scale = sumlx / suml2;
      best = scale * sumlx;
    }
  }
  for (let i = 0; i < n; i++) {
    const l = nearestInt(bestIscale * x[off + i]);
    L[lOff + i] = nmax + (l < -nmax ? -nmax : l > nmax - 1 ? nmax - 1 : l);
  }
  return f(scale);
}

export function quantizeQ6K(x: Float32Array): Uint8Array {
  if (x.length % QK !== 0) throw new RangeError(`Q6_K needs a multiple of ${QK} values, got ${x.length}`);
  const blocks = x.length / QK;
  const out = new Uint8Array(blocks * BLOCK_BYTES);
  const L = new Int8Array(QK);
  const scales = new Float32Array(16);
  for (let b = 0; b < blocks; b++) {
    const xo = b * QK;
    const o = b * BLOCK_BYTES;
    let maxScale = 0, maxAbsScale = 0;
    for (let ib = 0; ib < 16; ib++) {
      const s = makeQxQuants(x, xo + 16 * ib, L, 16 * ib);
      scales[ib] = s;
      if (Math.abs(s) > maxAbsScale) {
        maxAbsScale = Math.abs(s);
        maxScale = s;
      }
    }
    if (maxAbsScale < GROUP_MAX_EPS) continue; // all-zero block: every byte 0, d = 0
    const iscale = f(-128 / maxScale);
    const dBits = numberToF16Bits(f(1 / iscale));
    out[o + 208] = dBits & 0xff;
    out[o + 209] = dBits >>> 8;
    const dh = f16BitsToNumber(dBits);
    for (let ib = 0; ib < 16; ib++) {
      const sc = Math.min(127, nearestInt(iscale * scales[ib]));
      out[o + 192 + ib] = sc & 0xff;
      const d = f(dh * sc);
      if (!d) continue;
      for (let ii = 0; ii < 16; ii++) {
        const l = Math.max(-32, Math.min(31, nearestInt(x[xo + 16 * ib + ii] / d)));
        L[16 * ib + ii] = l + 32;
      }
    }
    for (let half = 0; half < 2; half++) {
      const j = 128 * half, ql = o + 64 * half, qh = o + 128 + 32 * half;
      for (let l = 0; l < 32; l++) {
        const q1 = L[j + l], q2 = L[j + l + 32], q3 = L[j + l + 64], q4 = L[j + l + 96];
        out[ql + l] = (q1 & 0xf) | ((q3 & 0xf) << 4);
        out[ql + l + 32] = (q2 & 0xf) | ((q4 & 0xf) << 4);
        out[qh + l] = (q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6);
      }
    }
  }
  return out;
}

/** ggml dequantize_row_q6_K, for tests and for checking an exported file. */
export function dequantizeQ6K(bytes: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let b = 0; b < count / QK; b++) {
    const o = b * BLOCK_BYTES;
    const d = f16BitsToNumber(bytes[o + 208] | (bytes[o + 209] << 8));
    for (let half = 0; half < 2; half++) {
      const y = b * QK + 128 * half, ql = o + 64 * half, qh = o + 128 + 32 * half, sc = o + 192 + 8 * half;
      for (let l = 0; l < 32; l++) {
        const is = l >> 4;
        const h = bytes[qh + l];
        const q1 = ((bytes[ql + l] & 0xf) | (((h >> 0) & 3) << 4)) - 32;
        const q2 = ((bytes[ql + l + 32] & 0xf) | (((h >> 2) & 3) << 4)) - 32;
        const q3 = ((bytes[ql + l] >> 4) | (((h >> 4) & 3) << 4)) - 32;
        const q4 = ((bytes[ql + l + 32] >> 4) | (((h >> 6) & 3) << 4)) - 32;
        out[y + l] = d * int8(bytes[sc + is]) * q1;
        out[y + l + 32] = d * int8(bytes[sc + is + 2]) * q2;
        out[y + l + 64] = d * int8(bytes[sc + is + 4]) * q3;
        out[y + l + 96] = d * int8(bytes[sc + is + 6]) * q4;
      }
    }
  }
  return out;
}

function int8(b: number): number {
  return b > 127 ? b - 256 : b;
}
