import { describe, expect, it } from "vitest";
import { formatTimeLeft, prefillSecondsLeft, prefillText } from "./prefill-eta";

describe("prompt time left", () => {
  it("extrapolates the measured speed: 640 of 1692 tokens in 24 s leaves about 40 s", () => {
    const p = { done: 640, total: 1692, startedAt: 1_000, at: 25_000 };
    expect(prefillSecondsLeft(p)).toBeCloseTo(39.45, 2);
    expect(prefillText(p)).toBe("Reading the prompt — 640 / 1692 tokens · about 40 s left");
  });

  it("says nothing before the first measurement, or once done", () => {
    expect(prefillText({ done: 0, total: 500, startedAt: 0, at: 0 })).toBe("Reading the prompt — 0 / 500 tokens");
    expect(prefillSecondsLeft({ done: 500, total: 500, startedAt: 0, at: 900 })).toBeNull();
  });

  it("reads well from under a second to minutes", () => {
    expect(formatTimeLeft(0.4)).toBe("less than a second left");
    expect(formatTimeLeft(59.2)).toBe("about 60 s left");
    expect(formatTimeLeft(60)).toBe("about 1 min left");
    expect(formatTimeLeft(135)).toBe("about 2 min 15 s left");
  });
});
