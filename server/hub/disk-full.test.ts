import { afterEach, describe, expect, it, vi } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startFakeHub, type FakeHub } from "@/tests/support/fake-hub-server";
import { makeHubSource } from "@/tests/support/hub-source";
import { downloadSnapshot } from "./download-snapshot";
import { HubError } from "./hub-error";

// Pretend the disk holding the cache has only 1 MB left: the check must fail before any byte is written.
vi.mock("./verify", async (importOriginal) => ({
  ...(await importOriginal<typeof import("./verify")>()),
  freeBytes: async () => 1_000_000,
}));

let hub: FakeHub | undefined;
const cleanup: string[] = [];
afterEach(async () => {
  await hub?.close();
  for (const dir of cleanup.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("downloadSnapshot on a full disk", () => {
  it("fails early with how much space to free", async () => {
    const sourceDir = await makeHubSource();
    const cacheRoot = await mkdtemp(path.join(os.tmpdir(), "bitnet-hub-full-"));
    cleanup.push(sourceDir, cacheRoot);
    hub = await startFakeHub({ repo: "microsoft/bitnet-b1.58-2B-4T", sourceDir });

    const error = await downloadSnapshot({
      repo: "microsoft/bitnet-b1.58-2B-4T",
      config: { hubUrl: hub.url, cacheRoot, hubCache: path.join(cacheRoot, "hf-hub"), revision: "main" },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe("disk_full");
    expect((error as HubError).message).toMatch(/disk is full/);
    expect((error as HubError).hint).toMatch(/Free about \d+(\.\d)? GB .*HF_HUB_CACHE/);
    expect(hub.requests.some((r) => r.path.includes("/resolve/") || r.path.startsWith("/lfs/"))).toBe(false);
    expect(existsSync(path.join(cacheRoot, "hf-hub", "models--microsoft--bitnet-b1.58-2B-4T", "blobs"))).toBe(true);
  });
});
