import { describe, expect, it } from "vitest";
import { randomLogits } from "./testing/random-logits";
import { Sampler, argmax } from "./sampler";
import { TopKSelector } from "./top-k";

const V = 128_256;

const base = { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 };

function draws(sampler: Sampler, logits: Float32Array, count: number): number[] {
  return Array.from({ length: count }, () => sampler.sample(logits.slice()));
}

describe("TopKSelector", () => {
  it("returns the k largest, sorted descending, ties broken by lower id", () => {
    const logits = randomLogits(7, 5000);
    logits[10] = 100;
    logits[20] = 100;
    const sel = new TopKSelector(50);
    const n = sel.select(logits, logits.length, 50);
    const expected = Array.from(logits.keys())
      .sort((a, b) => logits[b]! - logits[a]! || a - b)
      .slice(0, 50);
    expect(n).toBe(50);
    expect(Array.from(sel.idx.subarray(0, n))).toEqual(expected);
    expect(sel.idx[0]).toBe(10);
  });

  it("handles k larger than n and skips NaN", () => {
    const sel = new TopKSelector(8);
    const n = sel.select(new Float32Array([1, NaN, 3]), 3, 8);
    expect(n).toBe(2);
    expect(Array.from(sel.idx.subarray(0, n))).toEqual([2, 0]);
  });
});

describe("Sampler", () => {
  it("temperature 0 is argmax, whatever the seed", () => {
    const logits = randomLogits(1);
    const best = argmax(logits, V);
    for (const seed of [1, 2, 3]) {
      const s = new Sampler({ ...base, temperature: 0, seed }, V);
      expect(s.sample(logits.slice())).toBe(best);
    }
  });

  it("same seed gives the same draws, another seed differs", () => {
    const logits = randomLogits(2, V, 1);
    const a = draws(new Sampler({ ...base, seed: 42 }, V), logits, 20);
    const b = draws(new Sampler({ ...base, seed: 42 }, V), logits, 20);
    const c = draws(new Sampler({ ...base, seed: 43 }, V), logits, 20);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it("no seed gives random draws", () => {
    const logits = randomLogits(3, V, 1);
    expect(draws(new Sampler(base, V), logits, 10)).not.toEqual(draws(new Sampler(base, V), logits, 10));
  });

  it("top-k only ever picks among the k best", () => {
    const logits = randomLogits(4, V, 1);
    const sel = new TopKSelector(5);
    sel.select(logits, V, 5);
    const allowed = new Set(sel.idx);
    const got = draws(new Sampler({ ...base, topK: 5, seed: 1 }, V), logits, 300);
    for (const id of got) expect(allowed.has(id)).toBe(true);
    expect(new Set(got).size).toBe(5); // near-uniform logits: all five show up
  });

  it("top-p keeps the smallest set reaching p (HF semantics)", () => {
    const logits = new Float32Array(10).fill(-Infinity);
    // probabilities 0.5, 0.3, 0.15, 0.05
    [0.5, 0.3, 0.15, 0.05].forEach((p, i) => (logits[i] = Math.log(p)));
    const count = (topP: number, topK: number) =>
      new Set(draws(new Sampler({ ...base, topP, topK, seed: 9 }, 10), logits, 400)).size;
    expect(count(0.45, 0)).toBe(1); // 0.5 alone reaches 0.45
    expect(count(0.6, 0)).toBe(2);
    expect(count(0.81, 0)).toBe(3);
    expect(count(0.6, 3)).toBe(2);
    expect(count(0, 0)).toBe(1); // at least one token
  });

  it("top-p without top-k widens beyond the probe on a flat distribution", () => {
    const logits = new Float32Array(V); // uniform: the nucleus for 0.5 is half the vocabulary
    const got = draws(new Sampler({ ...base, topP: 0.5, seed: 5 }, V), logits, 200);
    expect(new Set(got).size).toBeGreaterThan(150);
    for (const id of got) expect(id).toBeLessThan(V / 2 + 1);
  });

  it("draws follow the softmax at temperature 1 and sharpen at low temperature", () => {
    const logits = new Float32Array([Math.log(0.7), Math.log(0.3)]);
    const hits = draws(new Sampler({ ...base, seed: 11 }, 2), logits, 4000).filter((id) => id === 0).length;
    expect(hits / 4000).toBeGreaterThan(0.66);
    expect(hits / 4000).toBeLessThan(0.74);
    const cold = draws(new Sampler({ ...base, temperature: 0.1, seed: 11 }, 2), logits, 1000).filter((id) => id === 0).length;
    expect(cold).toBeGreaterThan(990);
  });

  it("repetition penalty divides positive and multiplies negative logits of seen ids", () => {
    const s = new Sampler({ ...base, temperature: 0, repetitionPenalty: 2 }, 4);
    s.observe([0, 1, 1]);
    const logits = new Float32Array([4, -1, 3, -3]);
    expect(s.sample(logits)).toBe(2); // 4 → 2 loses to 3
    expect(Array.from(logits)).toEqual([2, -2, 3, -3]);
  });
});
