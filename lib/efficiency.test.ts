import { describe, expect, it } from "vitest";
import { answerEfficiency } from "./efficiency";

describe("answerEfficiency", () => {
  const weights = { bytesPerToken: 800e6, fp16BytesPerToken: 4.8e9 };

  it("weight bandwidth = bytes per token × decode speed; fp16 time scales the decode part by the size ratio", () => {
    const result = answerEfficiency({ completionTokens: 101, decodeTokPerS: 12.5, ttftMs: 2000, totalMs: 10_000 }, weights, 20e9)!;
    expect(result.weightBytesPerSecond).toBe(10e9);
    expect(result.shareOfBandwidth).toBeCloseTo(0.5, 10);
    expect(result.sizeRatio).toBe(6);
    expect(result.fp16DecodeMs).toBe(48_000);
    expect(result.fp16TotalMs).toBe(50_000);
  });

  it("has no share without a bandwidth measurement, and nothing for answers without a decode speed", () => {
    expect(answerEfficiency({ completionTokens: 10, decodeTokPerS: 10, ttftMs: 1, totalMs: 2 }, weights, null)!.shareOfBandwidth).toBeNull();
    expect(answerEfficiency({ completionTokens: 1, decodeTokPerS: 0, ttftMs: 1, totalMs: 1 }, weights, 1e9)).toBeNull();
  });
});
