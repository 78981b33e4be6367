/**
 * Weight layouts for onnxruntime's block-quantized contrib ops:
 * - `MatMulNBits` B: uint8 [N, kBlocks, blockSize*bits/8], element k of a block in bits
 *   (k % perByte)*bits of byte k / perByte (low bits first); scales float [N*kBlocks];
 *   zero points uint8 [N, ceil(kBlocks*bits/8)] packed the same way. Dequantized w = (code - zp) * scale.
 * - `GatherBlockQuantized` (uint8 data, quantize_axis = last): data [V, H*bits/8] with the same
 *   in-byte order and scales [V, H/blockSize]; without zero points it uses 2^(bits-1), like MatMulNBits.
 * When H is a multiple of the block size both layouts are the same bytes, so the tied embedding and
 * LM head can share one stored copy.
 */

export interface TernaryMatrix {
  outFeatures: number;
  inFeatures: number;
  /** Row-major [out, in], values -1/0/1. */
  ternary: Int8Array;
  /** Per-tensor scale already resolved for the linear class (multiply). */
  effectiveScale: number;
}

export interface PackedNBits {
  n: number;
  k: number;
  bits: number;
  blockSize: number;
  b: Uint8Array;
  scales: Float32Array;
  zeroPoints?: Uint8Array;
}

/**
 * Packs ternary matrices (concatenated along N, in order) as 2-bit MatMulNBits weights:
 * code = w + 1, zero point 1, each row's block scales = that matrix's effective scale (or 1 with
 * `unitScales`, when the graph applies the scales elsewhere).
 * Padding past K (when K is not a multiple of the block) uses the zero-point code, i.e. weight 0.
 */
export function packTernary2Bit(parts: TernaryMatrix[], blockSize: number, options: { sentinel?: boolean; unitScales?: boolean } = {}): PackedNBits {
  const k = parts[0].inFeatures;
  // With sentinels (see ops.ts sentinelLayout) each block holds blockSize-1 real columns and one zero weight.
  const per = options.sentinel ? blockSize - 1 : blockSize;
  for (const p of parts) {
    if (p.inFeatures !== k) throw new Error("packTernary2Bit: fused matrices must share in_features");
  }
  const n = parts.reduce((sum, p) => sum + p.outFeatures, 0);
  const kBlocks = Math.ceil(k / per);
  const kPacked = options.sentinel ? kBlocks * blockSize : k;
  const blob = blockSize / 4;
  const rowBytes = kBlocks * blob;
  // 0x55 = code 1 in all four slots: zero weight for padding.
  const b = new Uint8Array(n * rowBytes).fill(0x55);
  const scales = new Float32Array(n * kBlocks);
  const zpRow = Math.ceil(kBlocks / 4);
  const zeroPoints = new Uint8Array(n * zpRow).fill(0x55);
  let row = 0;
  for (const p of parts) {
    const t = p.ternary;
    for (let r = 0; r < p.outFeatures; r++, row++) {
      const src = r * k;
      const dst = row * rowBytes;
      if (per === blockSize) {
        for (let c = 0; c < k; c += 4) {
          let byte = 0;
          for (let j = 0; j < 4; j++) byte |= (c + j < k ? t[src + c + j] + 1 : 1) << (2 * j);
          b[dst + (c >> 2)] = byte;
        }
      } else {
        for (let c = 0; c < k; c++) {
          const slot = Math.floor(c / per) * blockSize + (c % per);
          const shift = 2 * (slot & 3);
          b[dst + (slot >> 2)] = (b[dst + (slot >> 2)] & ~(3 << shift)) | ((t[src + c] + 1) << shift);
        }
      }
      scales.fill(options.unitScales ? 1 : p.effectiveScale, row * kBlocks, (row + 1) * kBlocks);
    }
  }
  return { n, k: kPacked, bits: 2, blockSize, b, scales, zeroPoints };
}

/**
 * Symmetric block quantization of a float matrix [rows, cols] to 4 or 8 bits, default zero point
 * 2^(bits-1) (so no zero-point tensor): scale = absmax/(2^(bits-1)-1), code = round(x/scale) + zp.
 * `cols` must be a multiple of `blockSize`.
 */
export function quantizeBlocks(data: Float32Array, rows: number, cols: number, bits: 4 | 8, blockSize: number): PackedNBits {
  if (cols % blockSize !== 0) throw new Error(`quantizeBlocks: ${cols} is not a multiple of block ${blockSize}`);
  const kBlocks = cols / blockSize;
  const zp = 1 << (bits - 1);
  const qmax = zp - 1;
  const perByte = 8 / bits;
  const b = new Uint8Array((rows * cols) / perByte);
  const scales = new Float32Array(rows * kBlocks);
  for (let r = 0; r < rows; r++) {
    for (let blk = 0; blk < kBlocks; blk++) {
      const start = r * cols + blk * blockSize;
      let amax = 0;
      for (let i = 0; i < blockSize; i++) amax = Math.max(amax, Math.abs(data[start + i]));
      const scale = amax / qmax;
      scales[r * kBlocks + blk] = scale;
      const inv = scale > 0 ? 1 / scale : 0;
      for (let i = 0; i < blockSize; i++) {
        const q = Math.min(qmax, Math.max(-qmax, Math.round(data[start + i] * inv))) + zp;
        const idx = start + i;
        if (bits === 8) b[idx] = q;
        else b[idx >> 1] |= q << ((idx & 1) * 4);
      }
    }
  }
  return { n: rows, k: cols, bits, blockSize, b, scales };
}

/** The largest power-of-two block ≤ `preferred` (and ≥ 16, ORT's minimum) that divides `cols`. */
export function blockSizeFor(cols: number, preferred: number): number {
  let bs = preferred;
  while (bs > 16 && cols % bs !== 0) bs /= 2;
  if (cols % bs !== 0) throw new Error(`no block size ≥ 16 divides ${cols}`);
  return bs;
}

/** Inverse of quantizeBlocks, computed as the kernels do: (code - zp) * scale in float32. */
export function dequantizeBlocks(p: PackedNBits): Float32Array {
  const out = new Float32Array(p.n * p.k);
  const zp = 1 << (p.bits - 1);
  const kBlocks = p.k / p.blockSize;
  for (let idx = 0; idx < out.length; idx++) {
    const code = p.bits === 8 ? p.b[idx] : (p.b[idx >> 1] >> ((idx & 1) * 4)) & 15;
    const row = Math.floor(idx / p.k);
    out[idx] = Math.fround((code - zp) * p.scales[row * kBlocks + Math.floor((idx % p.k) / p.blockSize)]);
  }
  return out;
}
