/**
 * The project's one seeded PRNG: the sampler draws from it (same seed ⇒ same tokens) and the demo
 * checkpoint generator fills tensors with it (same seed ⇒ same weights). Math.random cannot be seeded.
 *
 * xoshiro128** (fast, 32-bit state words, good statistical quality) seeded through splitmix32;
 * normals by Box-Muller (one at a time) or Marsaglia's polar method (bulk). A named stream (e.g. a
 * tensor's name) is derived from (seed, name), so a tensor's values do not depend on the order tensors
 * are generated in. Hand-written: a few lines, and the npm PRNG packages either allocate per call or
 * do not document their output as stable across versions.
 */

export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform in [0, 1). */
  next(): number;
  uniform(min: number, max: number): number;
  /** Normal(mean, std) by Box-Muller. */
  normal(mean: number, std: number): number;
  /** Bulk versions (no per-value call overhead: the 2B embedding has 328M values). */
  fillU32(out: Uint32Array): void;
  fillNormal(out: Float32Array, mean: number, std: number): void;
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

/** A fresh random 32-bit seed, for callers that were given none. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
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
  const fillU32 = (out: Uint32Array): void => {
    // nextU32 inlined on local copies of the state (captured variables live in a heap context, locals in
    // registers): the same sequence, several times faster in bulk.
    let s0 = a, s1 = b, s2 = c, s3 = d;
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
    }
    a = s0;
    b = s1;
    c = s2;
    d = s3;
  };
  return {
    nextU32,
    next,
    uniform: (min, max) => min + (max - min) * next(),
    fillU32,
    fillNormal(out, mean, std) {
      // Marsaglia's polar method: exact normals from pairs of uniforms in the unit disc, one log + sqrt
      // per two values and no trigonometry (Box-Muller's cos/sin dominated the 2B embedding's generation time).
      const u = new Uint32Array(1 << 16);
      let k = u.length;
      let i = 0;
      while (i < out.length) {
        if (k === u.length) {
          fillU32(u);
          k = 0;
        }
        const x = u[k] / 2147483648 - 1;
        const y = u[k + 1] / 2147483648 - 1;
        k += 2;
        const r2 = x * x + y * y;
        if (r2 >= 1 || r2 === 0) continue;
        const f = std * Math.sqrt((-2 * Math.log(r2)) / r2);
        out[i++] = mean + x * f;
        if (i < out.length) out[i++] = mean + y * f;
      }
    },
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
