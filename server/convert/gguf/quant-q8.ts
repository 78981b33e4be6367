/**
 * Q8_0: blocks of 32 values, { f16 d; int8 qs[32] }, value = qs * d, d = absmax / 127 and
 * qs = roundf(x / d) (ggml quantize_row_q8_0_ref; roundf rounds halves away from zero).
 */
import { f16BitsToNumber, numberToF16Bits } from "@/server/checkpoint/bf16";
import { GGML_BLOCK } from "./ggml-types";

const QK = GGML_BLOCK.Q8_0.elements;
const BLOCK_BYTES = GGML_BLOCK.Q8_0.bytes;

export function quantizeQ8_0(x: Float32Array): Uint8Array {
  if (x.length % QK !== 0) throw new RangeError(`Q8_0 needs a multiple of ${QK} values, got ${x.length}`);
  const blocks = x.length / QK;
  const out = new Uint8Array(blocks * BLOCK_BYTES);
  for (let b = 0; b < blocks; b++) {
    const xo = b * QK, o = b * BLOCK_BYTES;
    let amax = 0;
    for (let j = 0; j < QK; j++) {
      const a = Math.abs(x[xo + j]);
      if (a > amax) amax = a;
    }
    const d = Math.fround(amax / 127);
    const id = d ? Math.fround(1 / d) : 0;
    const bits = numberToF16Bits(d);
    out[o] = bits & 0xff;
    out[o + 1] = bits >>> 8;
    for (let j = 0; j < QK; j++) {
      const v = Math.fround(x[xo + j] * id);
      // roundf: halves away from zero
      out[o + 2 + j] = (v < 0 ? -Math.round(-v) : Math.round(v)) & 0xff;
    }
  }
  return out;
}

export function dequantizeQ8_0(bytes: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let b = 0; b < count / QK; b++) {
    const d = f16BitsToNumber(view.getUint16(b * BLOCK_BYTES, true));
    for (let j = 0; j < QK; j++) out[b * QK + j] = view.getInt8(b * BLOCK_BYTES + 2 + j) * d;
  }
  return out;
}
