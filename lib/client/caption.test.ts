import { describe, expect, it } from "vitest";
import { captionFromLive, captionFromStats, describeStopReason, formatCaption, liveDecodeRate } from "./caption";

describe("caption", () => {
  it("renders the replaced app's caption format from server stats", () => {
    const text = formatCaption(
      captionFromStats({
        promptTokens: 20,
        completionTokens: 73,
        cachedPromptTokens: 0,
        ttftMs: 300,
        prefillTokPerS: 66,
        decodeTokPerS: 17.42,
        totalMs: 4210,
        stopReason: "eos",
      }),
    );
    expect(text).toBe("⏱ 4.2 s · 🔢 73 tokens · 🚀 17.4 tok/s");
  });

  it("measures live decode speed from the first token on", () => {
    // 11 tokens, first at 500 ms, last at 1500 ms: 10 tokens in 1 s after the first.
    const timing = { startedAt: 0, firstTokenAt: 500, lastTokenAt: 1500, tokens: 11 };
    expect(liveDecodeRate(timing)).toBeCloseTo(10);
    expect(captionFromLive(timing, 2000)).toEqual({ totalMs: 2000, tokens: 11, tokensPerSecond: 10 });
  });

  it("has no speed before two tokens", () => {
    expect(liveDecodeRate({ startedAt: 0, firstTokenAt: 100, lastTokenAt: 100, tokens: 1 })).toBe(0);
    expect(liveDecodeRate({ startedAt: 0, firstTokenAt: null, lastTokenAt: null, tokens: 0 })).toBe(0);
  });

  it("describes stop reasons for people", () => {
    expect(describeStopReason("length")).toMatch(/max new tokens/);
    expect(describeStopReason("abort")).toMatch(/stopped/);
  });
});
