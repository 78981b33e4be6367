import { afterEach, describe, expect, it, vi } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { run } from "@/bin/commands/pull";
import { startFakeHub, type FakeHub } from "@/tests/support/fake-hub-server";
import { makeHubSource } from "@/tests/support/hub-source";

const cleanup: string[] = [];
let hub: FakeHub | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
  await hub?.close();
  for (const dir of cleanup.splice(0)) await rm(dir, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  return { out, err };
}

describe("bitnet pull", () => {
  it("downloads into the cache with progress on stderr and prints the snapshot folder", async () => {
    const sourceDir = await makeHubSource();
    const cache = await mkdtemp(path.join(os.tmpdir(), "bitnet-pull-"));
    cleanup.push(sourceDir, cache);
    hub = await startFakeHub({ repo: "microsoft/bitnet-b1.58-2B-4T", sourceDir });
    vi.stubEnv("HF_ENDPOINT", hub.url);
    vi.stubEnv("HF_TOKEN", "");

    const io = capture();
    // --cache too: a snapshot in this machine's real app cache (older versions' layout) would be used instead.
    await run(["--hub-cache", cache, "--cache", path.join(cache, "app"), "--revision", "main"]);
    const dir = path.join(cache, "models--microsoft--bitnet-b1.58-2B-4T", "snapshots", hub.commit);
    expect(io.out).toEqual([dir]);
    expect(existsSync(path.join(dir, "model.safetensors"))).toBe(true);
    // stderr is not a TTY under vitest: plain lines, ending at 100%.
    expect(io.err.join("")).toMatch(/100\.0%.*\n/);
    expect(io.err.join("")).toMatch(/Downloaded and verified: microsoft\/bitnet-b1\.58-2B-4T@/);
    expect(process.exitCode).toBeUndefined();
  });

  it("prints what went wrong and what to do, with exit code 1", async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), "bitnet-pull-"));
    cleanup.push(cache);
    const sourceDir = await makeHubSource();
    cleanup.push(sourceDir);
    hub = await startFakeHub({ repo: "microsoft/bitnet-b1.58-2B-4T", sourceDir });
    vi.stubEnv("HF_ENDPOINT", hub.url);

    const io = capture();
    await run(["someone/missing-model", "--hub-cache", cache, "--cache", path.join(cache, "app")]);
    expect(process.exitCode).toBe(1);
    expect(io.out).toEqual([]);
    expect(io.err.join("\n")).toMatch(/someone\/missing-model .*was not found[\s\S]*BITNET_MODEL/);
  });
});
