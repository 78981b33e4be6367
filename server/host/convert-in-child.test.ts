import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { convertInChildProcess } from "./convert-in-child";
import { defaultHostDeps } from "./model-host";

// spawn, watched (and passed through), so the app's host pipeline can be shown to go through the child.
const spawned = vi.hoisted(() => [] as string[][]);
vi.mock("node:child_process", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:child_process")>();
  const spawn = ((command: string, args: readonly string[], options: object) => {
    spawned.push([command, ...args]);
    return actual.spawn(command, args, options);
  }) as typeof actual.spawn;
  return { ...actual, spawn, default: { ...actual, spawn } };
});

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

  it("is how the app's host converts (defaultHostDeps), not on the server's thread", async () => {
    const cacheRoot = await mkdtemp(path.join(os.tmpdir(), "bitnet-host-convert-"));
    dirs.push(cacheRoot);
    const steps: unknown[] = [];
    const outDir = await defaultHostDeps.convert(inject("tinySource"), cacheRoot, (p) => steps.push(p));
    expect(existsSync(path.join(outDir, "bitnet-manifest.json"))).toBe(true);
    const child = spawned.find((args) => args.some((a) => a.endsWith("convert-process.mjs")));
    expect(child).toBeDefined();
    expect(child).toContain(inject("tinySource"));
    expect(steps.length).toBeGreaterThan(0);
  });

  it("rejects with the converter's own message", async () => {
    const cacheRoot = await mkdtemp(path.join(os.tmpdir(), "bitnet-child-convert-"));
    dirs.push(cacheRoot);
    await expect(convertInChildProcess(path.join(cacheRoot, "missing"), cacheRoot, () => undefined)).rejects.toThrow(/missing/);
  });
});
