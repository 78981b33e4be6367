import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { convertInChildProcess } from "./convert-in-child";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("conversion in a child process", () => {
  it("converts the checkpoint, relaying progress, while this thread keeps running", async () => {
    const cacheRoot = await mkdtemp(path.join(os.tmpdir(), "bitnet-child-convert-"));
    dirs.push(cacheRoot);
    const progress: string[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      const outDir = await convertInChildProcess(inject("tinySource"), cacheRoot, (message) => progress.push(message));
      expect(outDir.startsWith(path.join(cacheRoot, "onnx"))).toBe(true);
      expect(existsSync(path.join(outDir, "bitnet-manifest.json"))).toBe(true);
    } finally {
      clearInterval(timer);
    }
    expect(progress.some((m) => /layer \d+\/\d+/.test(m))).toBe(true);
    expect(ticks).toBeGreaterThan(5); // the parent's event loop ran meanwhile
  });

  it("rejects with the converter's own message", async () => {
    const cacheRoot = await mkdtemp(path.join(os.tmpdir(), "bitnet-child-convert-"));
    dirs.push(cacheRoot);
    await expect(convertInChildProcess(path.join(cacheRoot, "missing"), cacheRoot, () => undefined)).rejects.toThrow(/missing/);
  });
});
