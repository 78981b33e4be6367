import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatEta, formatRate, formatSeconds, formatTokens, percent } from "./format";

describe("format", () => {
  it("formats durations by magnitude", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(4200)).toBe("4.2 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(120_000)).toBe("2 min");
    expect(formatDuration(Number.NaN)).toBe("–");
  });

  it("formats caption parts", () => {
    expect(formatSeconds(4230)).toBe("4.2 s");
    expect(formatRate(17.43)).toBe("17.4 tok/s");
    expect(formatRate(0)).toBe("– tok/s");
    expect(formatTokens(1)).toBe("1 token");
    expect(formatTokens(73)).toBe("73 tokens");
  });

  it("formats byte sizes in decimal units", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1_500)).toBe("1.5 KB");
    expect(formatBytes(1_190_000_000)).toBe("1.2 GB");
    expect(formatBytes(250_000_000)).toBe("250 MB");
  });

  it("formats remaining time", () => {
    expect(formatEta(0.2)).toBe("1 s");
    expect(formatEta(45)).toBe("45 s");
    expect(formatEta(180)).toBe("3 min");
    expect(formatEta(3900)).toBe("1 h 5 min");
  });

  it("computes a clamped whole percentage", () => {
    expect(percent(1, 3)).toBe(33);
    expect(percent(5, 0)).toBe(0);
    expect(percent(12, 10)).toBe(100);
  });
});
