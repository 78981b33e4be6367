import { describe, expect, it } from "vitest";
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import { composerBlockReason, DEMO_LABEL, progressDetail, statusSummary } from "./model-readiness";

const base: ModelStatusDto = { state: "ready", modelId: "microsoft/bitnet-b1.58-2B-4T", isDemo: false, progress: null, error: null, contextLength: 4096 };

describe("model readiness", () => {
  it("lets the composer send only when the model is ready", () => {
    expect(composerBlockReason(base, null)).toBeNull();
    expect(composerBlockReason(null, null)).toMatch(/Checking/);
    expect(composerBlockReason(base, "Cannot reach the server")).toMatch(/Cannot reach/);
    const downloading: ModelStatusDto = { ...base, state: "downloading", progress: { phase: "download", done: 42, total: 100, unit: "bytes" } };
    expect(composerBlockReason(downloading, null)).toMatch(/downloading \(42%\)/);
    const failed: ModelStatusDto = { ...base, state: "error", error: { code: "network", message: "The hub is unreachable", hint: "Use the demo" } };
    expect(composerBlockReason(failed, null)).toMatch(/The hub is unreachable/);
  });

  it("labels the demo model unmistakably", () => {
    expect(statusSummary({ ...base, isDemo: true, modelId: "demo" }, null)).toBe(DEMO_LABEL);
    expect(statusSummary(base, null)).toBe("microsoft/bitnet-b1.58-2B-4T");
  });

  it("describes download and step progress", () => {
    expect(progressDetail({ phase: "download", done: 1_200_000_000, total: 4_800_000_000, unit: "bytes", bytesPerSecond: 25_000_000, etaSeconds: 144 })).toBe(
      "1.2 GB of 4.8 GB · 25.0 MB/s · 2 min left",
    );
    expect(progressDetail({ phase: "convert", done: 12, total: 30, unit: "steps" })).toBe("12 of 30 steps");
  });
});
