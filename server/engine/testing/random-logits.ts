/** A deterministic row of logits, uniform in [-scale, scale) (an LCG: the same seed, the same row). */
export function randomLogits(seed: number, n = 128_256, scale = 4): Float32Array {
  let x = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = ((x / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}
