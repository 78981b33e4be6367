import { createRng } from "@/lib/seeded-rng";

/** A deterministic row of logits, uniform in [-scale, scale) (the same seed, the same row). */
export function randomLogits(seed: number, n = 128_256, scale = 4): Float32Array {
  const rng = createRng(seed, "logits");
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(-scale, scale);
  return out;
}
