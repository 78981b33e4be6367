import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { parseTinyArgs, run } from "@/bin/commands/tiny";

describe("bitnet tiny", () => {
  it("parses options with defaults", () => {
    expect(parseTinyArgs(["--out", "x"])).toEqual({ out: "x", seed: 0, shape: "tiny", linearClass: "autobitlinear", looping: false });
    expect(parseTinyArgs(["--out", "x", "--seed", "42", "--shape", "2b", "--linear-class", "bitlinear", "--looping"])).toEqual({
      out: "x",
      seed: 42,
      shape: "2b",
      linearClass: "bitlinear",
      looping: true,
    });
    expect(parseTinyArgs(["--help"])).toBe("help");
  });

  it("rejects bad values with clear errors", () => {
    expect(() => parseTinyArgs([])).toThrow(/--out is required/);
    expect(() => parseTinyArgs(["--out", "x", "--seed", "1.5"])).toThrow('--seed must be a non-negative integer (got "1.5")');
    expect(() => parseTinyArgs(["--out", "x", "--shape", "7b"])).toThrow('--shape must be one of tiny, 2b (got "7b")');
    expect(() => parseTinyArgs(["--out", "x", "--linear-class", "linear"])).toThrow(/--linear-class must be autobitlinear or bitlinear/);
    expect(() => parseTinyArgs(["--out", "x", "--vocab", "5"])).toThrow(/Unknown option '--vocab'/);
  });

  it("writes a checkpoint and says where", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "tiny-cmd-"));
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await run(["--out", path.join(root, "m"), "--seed", "4"]);
      expect(await readdir(path.join(root, "m"))).toEqual(expect.arrayContaining(["config.json", "model.safetensors"]));
      expect(log.mock.calls[0][0]).toMatch(/^Wrote tiny checkpoint \(seed 4, autobitlinear\) to .*\/m: model\.safetensors 16\.\d MB, 38 tensors, in [\d.]+ s$/);
    } finally {
      log.mockRestore();
      await rm(root, { recursive: true, force: true });
    }
  });
});
