import { describe, expect, it } from "vitest";
import type { GenerationStats } from "@/lib/schemas/stats";
import { mergedStats } from "./turn-writes";

const run = (completionTokens: number, totalMs: number, decodeTokPerS: number, ttftMs = 200): GenerationStats => ({
  promptTokens: 40, completionTokens, cachedPromptTokens: 0, ttftMs, prefillTokPerS: 200, decodeTokPerS, totalMs, stopReason: "length",
});

describe("a continued answer's stats", () => {
  it("cover every run: tokens and time add up, and the generation speed is all decoded tokens over all decode time", () => {
    // 300 tokens at 100 tok/s (2.99 s of decoding), then 245 more at 89.3 tok/s (2.73 s).
    const merged = mergedStats(run(300, 3_200, 100), run(245, 3_700, 89.3));
    expect(merged).toMatchObject({ completionTokens: 545, totalMs: 6_900, continuedRuns: 2, stopReason: "length" });
    const decodeMs = (299 / 100 + 244 / 89.3) * 1000;
    expect(merged.decodeTokPerS).toBeCloseTo((543 * 1000) / decodeMs, 1);
    // Not the last run's speed: the caption's three figures describe one answer.
    expect(merged.decodeTokPerS).not.toBe(89.3);
  });

  it("count the runs across several continues, and leave a first answer as it is", () => {
    const twice = mergedStats(mergedStats(run(100, 1_000, 100), run(100, 1_000, 100)), run(100, 1_000, 100));
    expect(twice).toMatchObject({ completionTokens: 300, totalMs: 3_000, continuedRuns: 3, decodeTokPerS: 100 });
    expect(mergedStats(null, run(10, 100, 50))).toEqual(run(10, 100, 50));
  });
});
