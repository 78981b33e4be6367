import { describe, expect, it } from "vitest";
import { ProgressTracker, type DownloadProgress } from "./download-progress";
import { formatDuration, formatProgressLine } from "./format-progress";

describe("ProgressTracker", () => {
  it("measures speed over recent transfers and derives the ETA", () => {
    let now = 0;
    const events: DownloadProgress[] = [];
    const tracker = new ProgressTracker(10_000_000, 0, (p) => events.push(p), () => now);
    tracker.setFile("model.safetensors");
    // A resumed partial file counts as done but not as speed.
    tracker.addExisting(2_000_000);
    for (let i = 0; i < 40; i++) {
      now += 50;
      tracker.addTransferred(50_000); // 1 MB/s
    }
    const p = tracker.snapshot();
    expect(p.bytesDone).toBe(4_000_000);
    expect(p.percent).toBeCloseTo(40);
    expect(p.bytesPerSecond).toBeCloseTo(1_000_000, -3);
    expect(p.etaSeconds).toBeCloseTo(6, 1);
    expect(p.file).toBe("model.safetensors");
    // Throttled: not one event per chunk, but every one at least 150 ms apart after the forced ones.
    expect(events.length).toBeGreaterThan(5);
    expect(events.length).toBeLessThanOrEqual(2 + 2000 / 150);
  });

  it("has no speed or ETA before a quarter second of data", () => {
    let now = 0;
    const tracker = new ProgressTracker(1000, 0, undefined, () => now);
    now = 10;
    tracker.addTransferred(7);
    expect(tracker.snapshot()).toMatchObject({ bytesPerSecond: 0, etaSeconds: null });
  });

  it("forgets samples older than the window so the speed follows the network", () => {
    let now = 0;
    const tracker = new ProgressTracker(1e9, 0, undefined, () => now);
    for (let i = 0; i < 20; i++) {
      now += 500;
      tracker.addTransferred(5_000_000); // 10 MB/s for 10 s
    }
    for (let i = 0; i < 20; i++) {
      now += 500;
      tracker.addTransferred(500_000); // then 1 MB/s for 10 s
    }
    expect(tracker.snapshot().bytesPerSecond).toBeLessThan(1_500_000);
  });
});

describe("progress text", () => {
  it("formats a bar line with percent, sizes, speed and ETA", () => {
    const line = formatProgressLine({ file: "model.safetensors", bytesDone: 540e6, bytesTotal: 1.2e9, percent: 45, bytesPerSecond: 12.3e6, etaSeconds: 53.6 }, 20);
    expect(line).toBe("[#########-----------]   45.0%  540.0 MB / 1.20 GB  12.3 MB/s  ETA 0:54  model.safetensors");
    expect(formatDuration(3725)).toBe("1:02:05");
    expect(formatDuration(null)).toBe("--:--");
  });
});
