/**
 * HF BitNet 2-bit packing (transformers integrations/bitnet.py pack_weights / unpack_weights):
 * 4 values per byte along the output dimension, in blocks. With P = rows/4, byte [r, c] holds
 * W[r, c] in bits 0-1, W[P+r, c] in bits 2-3, W[2P+r, c] in bits 4-5 and W[3P+r, c] in bits 6-7,
 * each as code w + 1 (-1 → 0, 0 → 1, +1 → 2). Code 3 is never produced; HF would silently read it as +2,
 * we reject it.
 */
import { CheckpointError } from "./errors";

/** TABLE[i * 256 + byte] = value of bit pair i of `byte`; BAD[byte] = 1 if any pair is code 3. */
const TABLE = new Int8Array(4 * 256);
const BAD = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  for (let i = 0; i < 4; i++) {
    const code = (b >> (2 * i)) & 3;
    TABLE[i * 256 + b] = code - 1;
    if (code === 3) BAD[b] = 1;
  }
}

export function packTernary(w: Int8Array, rows: number, cols: number): Uint8Array {
  if (rows % 4 !== 0) throw new RangeError(`packTernary: rows (${rows}) must be a multiple of 4`);
  if (w.length !== rows * cols) throw new RangeError(`packTernary: expected ${rows * cols} values, got ${w.length}`);
  const block = (rows / 4) * cols;
  const packed = new Uint8Array(block);
  for (let k = 0; k < block; k++) {
    const a = w[k], b = w[k + block], c = w[k + 2 * block], d = w[k + 3 * block];
    if (a < -1 || a > 1 || b < -1 || b > 1 || c < -1 || c > 1 || d < -1 || d > 1) {
      throw new RangeError(`packTernary: value at flat index ${k} (or a block below it) is not in {-1, 0, 1}`);
    }
    packed[k] = (a + 1) | ((b + 1) << 2) | ((c + 1) << 4) | ((d + 1) << 6);
  }
  return packed;
}

/**
 * Unpacks a U8 [packedRows, cols] tensor into row-major int8 [packedRows * 4, cols] with values -1/0/1.
 * One table lookup per output value and one pass over the input (this runs on ~500 MB for the 2B model).
 */
export function unpackTernary(packed: Uint8Array, packedRows: number, cols: number, tensorName = "packed tensor"): Int8Array {
  const block = packedRows * cols;
  if (packed.length !== block) {
    throw new RangeError(`unpackTernary: ${tensorName} has ${packed.length} bytes, expected ${packedRows} × ${cols}`);
  }
  const out = new Int8Array(4 * block);
  let bad = 0;
  for (let k = 0; k < block; k++) {
    const b = packed[k];
    out[k] = TABLE[b];
    out[k + block] = TABLE[256 + b];
    out[k + 2 * block] = TABLE[512 + b];
    out[k + 3 * block] = TABLE[768 + b];
    bad |= BAD[b];
  }
  if (bad) throw invalidCode(packed, packedRows, cols, tensorName);
  return out;
}

/** Throws the invalid_ternary_code error if any 2-bit code in `packed` is 3 (without unpacking). */
export function checkTernaryCodes(packed: Uint8Array, packedRows: number, cols: number, tensorName = "packed tensor"): void {
  for (let k = 0; k < packed.length; k++) {
    if (BAD[packed[k]]) throw invalidCode(packed, packedRows, cols, tensorName);
  }
}

function invalidCode(packed: Uint8Array, packedRows: number, cols: number, tensorName: string): CheckpointError {
  const k = packed.findIndex((b) => BAD[b] === 1);
  const r = Math.floor(k / cols);
  const c = k % cols;
  const pair = [0, 1, 2, 3].find((i) => ((packed[k] >> (2 * i)) & 3) === 3)!;
  return new CheckpointError(
    "invalid_ternary_code",
    `Tensor "${tensorName}" contains the invalid 2-bit code 3 (byte [${r}, ${c}] = 0x${packed[k].toString(16).padStart(2, "0")}, ` +
      `which would be weight row ${pair * packedRows + r}, column ${c}). Packed BitNet weights only use codes 0, 1 and 2 ` +
      "(-1, 0, +1): the file is corrupt or not a BitNet checkpoint.",
  );
}
