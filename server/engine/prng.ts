/**
 * A small seeded PRNG (sfc32, from PractRand's test suite) so sampling is reproducible for a seed.
 * Hand-written because no PRNG package is a dependency and this is a dozen lines; Math.random cannot be seeded.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
}

export function createPrng(seed?: number | null): Prng {
  const s = seed ?? randomSeed();
  // Spread the 32-bit seed over the state with splitmix32 so nearby seeds give unrelated streams.
  let x = s >>> 0;
  const mix = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  // Seeds above 2^32 (the API allows up to 4294967295, JS numbers allow more) still matter via the high part.
  let a = mix();
  let b = mix() ^ Math.floor(s / 0x1_0000_0000);
  let c = mix();
  let d = 1;
  const step = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) step();
  return { next: () => step() / 0x1_0000_0000 };
}

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}
