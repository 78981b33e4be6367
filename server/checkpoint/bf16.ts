/**
 * BF16 / F16 <-> F32 conversion on raw little-endian bytes. Hand-written because no maintained npm package
 * converts whole buffers without per-element overhead, and these run on ~650 MB of embedding.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** BF16 bytes (little-endian) → f32: a bf16 is the top half of an f32, so widening is exact. */
export function bf16ToFloat32(bytes: Uint8Array, out?: Float32Array): Float32Array {
  const n = bytes.byteLength >>> 1;
  const result = out ?? new Float32Array(n);
  const bits = new Uint32Array(result.buffer, result.byteOffset, n);
  for (let i = 0, j = 0; i < n; i++, j += 2) bits[i] = (bytes[j] | (bytes[j + 1] << 8)) << 16;
  return result;
}

/** One f32 → bf16 bits, rounding to nearest even (what torch does); NaN stays a quiet NaN. */
export function float32ToBf16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  if ((x & 0x7fffffff) > 0x7f800000) return ((x >>> 16) | 0x0040) & 0xffff;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/** F32 values → BF16 bytes (little-endian), round to nearest even. */
export function float32ToBf16(values: ArrayLike<number>, out?: Uint8Array): Uint8Array {
  const n = values.length;
  const result = out ?? new Uint8Array(n * 2);
  if (values instanceof Float32Array && result.byteOffset % 2 === 0) {
    // Bulk path on the raw bits (the 2B embedding has 328M values).
    const x32 = new Uint32Array(values.buffer, values.byteOffset, n);
    const b16 = new Uint16Array(result.buffer, result.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const x = x32[i];
      b16[i] = (x & 0x7fffffff) > 0x7f800000 ? (x >>> 16) | 0x0040 : (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
    }
    return result;
  }
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    const b = float32ToBf16Bits(values[i]);
    result[j] = b & 0xff;
    result[j + 1] = b >>> 8;
  }
  return result;
}

/** IEEE half bits → number (exact). */
export function f16BitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

export function f16ToFloat32(bytes: Uint8Array, out?: Float32Array): Float32Array {
  const n = bytes.byteLength >>> 1;
  const result = out ?? new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 2) result[i] = f16BitsToNumber(bytes[j] | (bytes[j + 1] << 8));
  return result;
}

/** One number → IEEE half bits, round to nearest even, overflow to ±Infinity. */
export function numberToF16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half: shift the full mantissa (with its implicit 1) into place, rounding to nearest even.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let m = mant >>> shift;
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && m & 1)) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

/** A number rounded to the nearest IEEE half (through fp32, as onnxruntime's Cast of an fp32 tensor rounds). */
export function roundToFloat16(value: number): number {
  return f16BitsToNumber(numberToF16Bits(value));
}

export function float32ToF16(values: ArrayLike<number>, out?: Uint8Array): Uint8Array {
  const n = values.length;
  const result = out ?? new Uint8Array(n * 2);
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    const b = numberToF16Bits(values[i]);
    result[j] = b & 0xff;
    result[j + 1] = b >>> 8;
  }
  return result;
}
