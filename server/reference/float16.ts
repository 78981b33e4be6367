/**
 * IEEE binary16 rounding of a number (round to nearest, ties to even; subnormals; ±Infinity past the
 * largest half), for the reference's fp16 KV cache. Hand-written because Node 20 has neither
 * Math.f16round nor Float16Array.
 */
const MIN_NORMAL_EXP = -14;
const MANTISSA_BITS = 10;
/** Values from here up round to Infinity (halfway between 65504 and the next, unrepresentable step). */
const OVERFLOW = 65520;

export function roundToFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= OVERFLOW) return Math.sign(x) * Infinity;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const step = 2 ** (Math.max(e, MIN_NORMAL_EXP) - MANTISSA_BITS);
  const q = a / step;
  let n = Math.floor(q);
  const rest = q - n;
  if (rest > 0.5 || (rest === 0.5 && n % 2 === 1)) n++;
  return Math.sign(x) * n * step;
}
