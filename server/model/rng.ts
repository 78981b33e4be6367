/**
 * Seeded PRNG for reproducible test checkpoints: xoshiro128** (fast, 32-bit state words, good statistical
 * quality) seeded through splitmix32. Each tensor gets its own stream derived from (seed, tensor name),
 * so its values do not depend on the order tensors are generated in. Hand-written: a few lines, and the
 * npm PRNG packages either allocate per call or do not document their output as stable across versions.
 */

export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform in [0, 1). */
  next(): number;
  uniform(min: number, max: number): number;
  /** Normal(mean, std) by Box-Muller. */
  normal(mean: number, std: number): number;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over the stream name, mixed with the seed. */
function streamSeed(seed: number, stream: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0) ^ Math.floor(seed / 2 ** 32);
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function createRng(seed: number, stream = ""): Rng {
  const init = splitmix32(streamSeed(seed, stream));
  let a = init(), b = init(), c = init(), d = init();
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is a fixed point
  let spare: number | undefined;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const next = () => nextU32() / 4294967296;
  return {
    nextU32,
    next,
    uniform: (min, max) => min + (max - min) * next(),
    normal(mean, std) {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return mean + std * z;
      }
      const u = 1 - next(); // (0, 1], so log is finite
      const r = Math.sqrt(-2 * Math.log(u));
      const theta = 2 * Math.PI * next();
      spare = r * Math.sin(theta);
      return mean + std * r * Math.cos(theta);
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
