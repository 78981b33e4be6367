import { describe, expect, it } from "vitest";
import { randomLogits as rows } from "./testing/random-logits";
import { Sampler, type SamplerOptions } from "./sampler";
import { referenceDistribution } from "./testing/reference-distribution";
import { LogprobRecorder, sumExpBelow } from "./token-logprobs";

const V = 128_256;
const randomLogits = (seed: number, n = V, scale = 6) => rows(seed, n, scale);

const info = (id: number) => ({ text: String(id), bytes: [] });

const cases: [string, Omit<SamplerOptions, "seed">][] = [
  ["greedy", { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 }],
  ["temperature 1 (full vocabulary)", { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 }],
  ["temperature 0.7 (full vocabulary)", { temperature: 0.7, topK: 0, topP: 1, repetitionPenalty: 1 }],
  ["top-k 40", { temperature: 0.8, topK: 40, topP: 1, repetitionPenalty: 1 }],
  ["top-k 3 (fewer than the alternatives)", { temperature: 0.8, topK: 3, topP: 1, repetitionPenalty: 1 }],
  ["top-p 0.9 within the probe", { temperature: 0.8, topK: 0, topP: 0.9, repetitionPenalty: 1 }],
  ["top-p 0.5 wider than the probe", { temperature: 3, topK: 0, topP: 0.5, repetitionPenalty: 1 }],
  ["top-k 50 + top-p 0.8 + repetition penalty 1.3", { temperature: 0.9, topK: 50, topP: 0.8, repetitionPenalty: 1.3 }],
  ["greedy + repetition penalty 1.5", { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1.5 }],
];

describe("LogprobRecorder", () => {
  for (const [name, options] of cases) {
    it(`matches the sampled distribution and the model's softmax: ${name}`, () => {
      const sampler = new Sampler({ ...options, seed: 3 }, V);
      const recorder = new LogprobRecorder(V, 5, (id) => ({ text: `t${id}`, bytes: [] }));
      const seen = new Set<number>();
      for (let step = 0; step < 4; step++) {
        const raw = randomLogits(100 + step);
        // Make the penalty matter: previously chosen ids are among the best.
        for (const id of seen) raw[id] = 5.9;
        const expected = referenceDistribution(raw, seen, options);
        const row = raw.slice();
        const id = sampler.sample(row);
        const record = recorder.record(sampler, row, id);
        expect(record.id).toBe(id);
        expect(record.logprob).toBeGreaterThan(-Infinity); // what was drawn had mass
        expect(record.logprob).toBeCloseTo(expected.sampled[id]!, 6);
        expect(record.rawLogprob).toBeCloseTo(expected.rawLog[id]!, 6);
        expect(record.top.map((t) => t.id)).toEqual(expected.order.slice(0, 5));
        for (const alt of record.top) {
          expect(alt.text).toBe(`t${alt.id}`);
          if (expected.sampled[alt.id] === -Infinity) expect(alt.logprob).toBe(-Infinity);
          else expect(alt.logprob).toBeCloseTo(expected.sampled[alt.id]!, 6);
          expect(alt.rawLogprob).toBeCloseTo(expected.rawLog[alt.id]!, 6);
        }
        if (options.temperature === 0) expect(record.top[0]!.id).toBe(id);
        sampler.observe([id]);
        seen.add(id);
      }
    });
  }

  it("sums exponentials to 1e-9 relative (table + Taylor), skipping NaN and -Infinity", () => {
    for (const scale of [0.5, 6, 40]) {
      const row = randomLogits(scale * 10, V, scale);
      row[5] = NaN;
      row[6] = -Infinity;
      let max = -Infinity;
      for (const v of row) if (v > max) max = v;
      let exact = 0;
      for (const v of row) if (v === v) exact += Math.exp(v - max);
      expect(Math.abs(sumExpBelow(row, V, max) - exact) / exact).toBeLessThan(1e-9);
    }
  });

  it("records up to 20 alternatives and none when asked for 0", () => {
    const sampler = new Sampler({ temperature: 0.8, topK: 40, topP: 1, repetitionPenalty: 1, seed: 1 }, V);
    const raw = randomLogits(9);
    const expected = referenceDistribution(raw, new Set(), { temperature: 0.8, topK: 40, topP: 1, repetitionPenalty: 1 });
    const row = raw.slice();
    const id = sampler.sample(row);
    expect(new LogprobRecorder(V, 20, info).record(sampler, row, id).top.map((t) => t.id)).toEqual(expected.order.slice(0, 20));
    expect(new LogprobRecorder(V, 0, info).record(sampler, row, id).top).toEqual([]);
  });
});
