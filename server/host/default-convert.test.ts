/**
 * The app's host converts through the child process, not on the server's thread: convert-in-child.test.ts
 * tests the child process itself, this test that the real pipeline (defaultHostDeps) goes through it.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it, vi } from "vitest";

const spawned = vi.hoisted(() => [] as string[][]);
vi.mock("node:child_process", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:child_process")>();
  const spawn = ((command: string, args: readonly string[], options: object) => {
    spawned.push([command, ...args]);
    return actual.spawn(command, args, options);
  }) as typeof actual.spawn;
  return { ...actual, spawn, default: { ...actual, spawn } };
});

const { defaultHostDeps } = await import("./model-host");

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("defaultHostDeps.convert", () => {
  it("runs the converter in a child process and reports its progress", async () => {
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
});
