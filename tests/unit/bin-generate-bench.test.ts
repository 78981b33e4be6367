/** `bitnet generate` and `bitnet bench` end to end on the tiny converted model, as a user runs them. */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { cpuInfo } from "@/server/runtime/cpu-info";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const bitnet = (...args: string[]) =>
  run(process.execPath, ["--import", "tsx", path.join(root, "bin/bitnet.ts"), ...args], { cwd: root, maxBuffer: 16 << 20 });

describe("bitnet generate", () => {
  it("--json prints one object with ids, text and stats; the same seed reproduces it", async () => {
    const args = ["generate", "--model", inject("tinyOnnx"), "--prompt", "Hello 😀", "--max-tokens", "6", "--temperature", "1", "--seed", "7", "--json", "--threads", "1"];
    const { stdout } = await bitnet(...args);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!) as { ids: number[]; text: string; stats: { completionTokens: number; stopReason: string } };
    expect(result.ids.length).toBe(result.stats.completionTokens);
    expect(["length", "eos"]).toContain(result.stats.stopReason);
    expect(typeof result.text).toBe("string");
    expect(JSON.parse((await bitnet(...args)).stdout)).toMatchObject({ ids: result.ids, text: result.text });
  });

  it("streams the text to stdout and the stats to stderr", async () => {
    const { stdout, stderr } = await bitnet("generate", "--model", inject("tinyOnnx"), "--prompt", "Hi", "--max-tokens", "4", "--temperature", "0", "--threads", "1");
    expect(stdout.endsWith("\n")).toBe(true);
    expect(stderr).toMatch(/prompt \+ \d+ answer tokens .* stop: (length|eos)/);
  });

  it("exits with a clear message for an invalid value", async () => {
    await expect(bitnet("generate", "--model", inject("tinyOnnx"), "--prompt", "Hi", "--top-p", "2")).rejects.toMatchObject({
      stderr: expect.stringContaining("topP must be between 0 and 1"),
    });
  });
});

describe("bitnet bench", () => {
  it("prints one JSON line with every metric", async () => {
    const { stdout } = await bitnet("bench", "--model", inject("tinyOnnx"), "--prompt-tokens", "32", "--gen-tokens", "8", "--threads", "1", "--settle-seconds", "0.2");
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const { cpu, kernel, ...result } = JSON.parse(lines[0]!) as Record<string, number> & { cpu: { model: string; isa: string; cores: number }; kernel: string };
    expect(["cpu", "kernel", ...Object.keys(result)]).toEqual(["cpu", "kernel", "decode_tok_s", "decode_tok_s_at_2k", "prefill_tok_s", "ttft_ms", "load_s", "rss_mb", "rss_loaded_mb", "rss_loaded_at_once_mb", "rss_peak_mb"]);
    for (const value of Object.values(result)) expect(value).toBeGreaterThan(0);
    // Every figure names its machine and the kernel that ran the ternary projections.
    expect(cpu).toEqual(cpuInfo());
    expect(kernel).toMatch(process.env.BITNET_REQUIRE_NATIVE === "1" ? /^ternary-/ : /^(ternary-.+|mlas)$/);
    // The peak covers the loaded state and everything after it.
    expect(result.rss_peak_mb).toBeGreaterThanOrEqual(result.rss_loaded_mb);
    expect(result.rss_peak_mb).toBeGreaterThanOrEqual(result.rss_mb);
  });

  it("converts a hub-format checkpoint in a child process first, so the conversion counts in no figure (run from another folder)", async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), "bitnet-bench-cache-"));
    try {
      const { stdout, stderr } = await run(process.execPath, [path.join(root, "bin/bitnet.mjs"), "bench", "--model", inject("tinySource"), "--prompt-tokens", "16", "--gen-tokens", "4", "--threads", "1", "--settle-seconds", "0"], {
        cwd: os.tmpdir(),
        env: { ...process.env, BITNET_CACHE: cache },
        maxBuffer: 16 << 20,
      });
      // The child's progress, relayed before the runs: in-process conversion reported none.
      expect(stderr).toMatch(/convert: layer 1\/\d+[\s\S]*run 1\/1: prefill/);
      const result = JSON.parse(stdout) as Record<string, number> & { kernel: string };
      expect(Object.keys(result)).toEqual(["cpu", "kernel", "decode_tok_s", "decode_tok_s_at_2k", "prefill_tok_s", "ttft_ms", "load_s", "rss_mb", "rss_loaded_mb", "rss_loaded_at_once_mb", "rss_peak_mb"]);
      // Run from another folder, the CLI still finds the project's kernel.
      if (process.env.BITNET_REQUIRE_NATIVE === "1") expect(result.kernel).toMatch(/^ternary-/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it("--speculative adds accept_rate and decode speed with and without speculation for both workloads", async () => {
    const { stdout } = await bitnet("bench", "--model", inject("tinyOnnx"), "--prompt-tokens", "16", "--gen-tokens", "12", "--threads", "1", "--speculative", "--settle-seconds", "0");
    const result = JSON.parse(stdout) as { speculative: Record<string, Record<string, number>> };
    expect(Object.keys(result.speculative)).toEqual(["copy_heavy", "no_repeat"]);
    for (const w of Object.values(result.speculative)) {
      expect(Object.keys(w)).toEqual(["accept_rate", "decode_tok_s", "decode_tok_s_without", "speedup"]);
      expect(w.accept_rate).toBeGreaterThanOrEqual(0);
      expect(w.accept_rate).toBeLessThanOrEqual(1);
      expect(w.decode_tok_s).toBeGreaterThan(0);
      expect(w.decode_tok_s_without).toBeGreaterThan(0);
    }
  });

  it("--parallel N adds the aggregate and per-answer decode speeds of N answers at once", async () => {
    const { stdout } = await bitnet("bench", "--model", inject("tinyOnnx"), "--prompt-tokens", "16", "--gen-tokens", "12", "--threads", "1", "--parallel", "3", "--settle-seconds", "0");
    const result = JSON.parse(stdout) as Record<string, number>;
    expect(result.parallel_answers).toBe(3);
    for (const key of ["aggregate_decode_tok_s", "per_answer_decode_tok_s", "per_answer_decode_tok_s_min", "single_decode_tok_s"]) expect(result[key]).toBeGreaterThan(0);
    expect(result.per_answer_decode_tok_s_min).toBeLessThanOrEqual(result.per_answer_decode_tok_s);
    expect(result.aggregate_vs_single).toBeCloseTo(result.aggregate_decode_tok_s / result.single_decode_tok_s, 1);
    expect(result.decode_tok_s).toBeGreaterThan(0); // the usual fields stay
  });

  it("--parallel must be a positive integer", async () => {
    await expect(bitnet("bench", "--model", inject("tinyOnnx"), "--parallel", "0")).rejects.toMatchObject({ stderr: expect.stringMatching(/parallel/) });
  });
});
