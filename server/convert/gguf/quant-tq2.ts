/**
 * TQ2_0 (ggml's 2-bit ternary type) from ternary rows. A block covers 256 consecutive values of one row:
 * 64 bytes of codes, then an f16 scale d; a value is (code - 1) * d. Byte qs[32*h + m] (h = 0, 1) holds
 * values 128*h + m + 32*n in bits 2n..2n+1 for n = 0..3 (ggml quantize_row_tq2_0_ref / dequantize_row_tq2_0).
 * We write d = 1 so the codes are exact: the per-tensor BitNet scale goes into the `*.scale` tensor
 * that llama.cpp's bitnet graph multiplies each projection's output by.
 */
import { numberToF16Bits } from "@/server/checkpoint/bf16";
import { GGML_BLOCK } from "./ggml-types";

const QK = GGML_BLOCK.TQ2_0.elements;
const BLOCK_BYTES = GGML_BLOCK.TQ2_0.bytes;
const ONE_F16 = numberToF16Bits(1);

/** ternary: row-major [rows, cols] with values -1/0/1; cols must be a multiple of 256. */
export function packTq2Rows(ternary: Int8Array, rows: number, cols: number): Uint8Array {
  if (cols % QK !== 0) throw new RangeError(`TQ2_0 needs rows of a multiple of ${QK} values, got ${cols}`);
  if (ternary.length !== rows * cols) throw new RangeError(`packTq2Rows: expected ${rows * cols} values, got ${ternary.length}`);
  const blocks = (rows * cols) / QK;
  const out = new Uint8Array(blocks * BLOCK_BYTES);
  for (let b = 0; b < blocks; b++) {
    const x = b * QK;
    const o = b * BLOCK_BYTES;
    for (let h = 0; h < 2; h++) {
      for (let m = 0; m < 32; m++) {
        const base = x + 128 * h + m;
        let q = 0;
        for (let n = 0; n < 4; n++) {
          const v = ternary[base + 32 * n];
          if (v < -1 || v > 1) throw new RangeError(`packTq2Rows: value ${v} at index ${base + 32 * n} is not ternary`);
          q |= (v + 1) << (2 * n);
        }
        out[o + 32 * h + m] = q;
      }
    }
    out[o + 64] = ONE_F16 & 0xff;
    out[o + 65] = ONE_F16 >>> 8;
  }
  return out;
}
