import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { scanCacheDir } from "@huggingface/hub";
import { startFakeHub, type FakeHub } from "@/tests/support/fake-hub-server";
import { makeHubSource } from "@/tests/support/hub-source";
import { downloadSnapshot, type SnapshotRequest } from "./download-snapshot";
import type { DownloadProgress } from "./download-progress";
import { HubError } from "./hub-error";
import { MODEL_FILES } from "./hub-config";
import { blobPath, snapshotDir } from "./snapshot-cache";
import { verifiedSha256 } from "@/server/checkpoint/verified-hashes";
import { freePort } from "@/tests/support/free-port";

const REPO = "microsoft/bitnet-b1.58-2B-4T";
let sourceDir: string;
let hub: FakeHub;
let cacheRoot: string;
/** The Hugging Face cache (HF_HUB_CACHE) of the test, inside cacheRoot. */
let hubCache: string;

beforeAll(async () => {
  sourceDir = await makeHubSource();
});

afterEach(async () => {
  await hub?.close();
  if (cacheRoot) await rm(cacheRoot, { recursive: true, force: true });
});

async function setup(options: Partial<Parameters<typeof startFakeHub>[0]> = {}) {
  hub = await startFakeHub({ repo: REPO, sourceDir, ...options });
  cacheRoot = await mkdtemp(path.join(os.tmpdir(), "bitnet-hub-test-"));
  hubCache = path.join(cacheRoot, "huggingface", "hub");
}

/** The blob a file of the fake hub is stored in (named by its sha256, or git oid for small files). */
const blobOf = (name: string) => {
  const file = hub.files.find((f) => f.path === name)!;
  return blobPath(hubCache, REPO, file.lfs ? file.sha256 : file.gitOid);
};

function pull(extra: Partial<SnapshotRequest> = {}) {
  return downloadSnapshot({
    repo: REPO,
    config: { hubUrl: hub.url, cacheRoot, hubCache, accessToken: undefined, revision: "main", offline: false },
    retryDelayMs: 10,
    ...extra,
  });
}

async function rejection(promise: Promise<unknown>): Promise<HubError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HubError);
  return error as HubError;
}

const safetensors = () => hub.files.find((f) => f.path === "model.safetensors")!;

describe("downloadSnapshot against a fake hub", () => {
  it("downloads every file with monotonic progress and verifies it", async () => {
    await setup({ chunkBytes: 32 * 1024, chunkDelayMs: 1 });
    const events: DownloadProgress[] = [];
    const result = await pull({ onProgress: (p) => events.push(p) });

    expect(result.fromCache).toBe(false);
    expect(result.commit).toBe(hub.commit);
    expect(result.dir).toBe(snapshotDir(hubCache, REPO, hub.commit));
    for (const name of MODEL_FILES) {
      const want = hub.files.find((f) => f.path === name)!;
      expect((await readFile(path.join(result.dir, name))).equals(want.content)).toBe(true);
      expect(existsSync(`${blobOf(name)}.incomplete`)).toBe(false);
    }
    expect(result.files.find((f) => f.path === "model.safetensors")?.sha256).toBe(safetensors().sha256);
    // The verified sha256 (the blob's name) serves the converter's fingerprint: no second read of the weights.
    expect(verifiedSha256(result.dir, "model.safetensors")).toBe(safetensors().sha256);

    const total = MODEL_FILES.reduce((s, n) => s + hub.files.find((f) => f.path === n)!.size, 0);
    expect(events.length).toBeGreaterThan(3);
    for (let i = 1; i < events.length; i++) expect(events[i].bytesDone).toBeGreaterThanOrEqual(events[i - 1].bytesDone);
    expect(events.every((e) => e.bytesTotal === total)).toBe(true);
    const last = events[events.length - 1];
    expect(last.bytesDone).toBe(total);
    expect(last.percent).toBe(100);
    expect(last.etaSeconds).toBe(0);
    expect(events.some((e) => e.bytesPerSecond > 0)).toBe(true);
    // Large files come through the LFS redirect, small ones directly.
    expect(hub.requests.some((r) => r.path === `/lfs/${safetensors().sha256}`)).toBe(true);
  });

  it("writes the Hugging Face cache layout: blobs by hash, relative symlinks in snapshots/<commit>, refs/main", async () => {
    await setup();
    const result = await pull();
    const repoDir = path.join(hubCache, "models--microsoft--bitnet-b1.58-2B-4T");
    expect((await readFile(path.join(repoDir, "refs", "main"), "utf8")).trim()).toBe(hub.commit);
    for (const name of MODEL_FILES) {
      const link = path.join(result.dir, name);
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(await readlink(link)).toBe(path.relative(path.dirname(link), blobOf(name)));
    }
    expect(path.basename(blobOf("model.safetensors"))).toBe(safetensors().sha256);
    // What @huggingface/hub (like huggingface_hub) reads back from that cache.
    const scanned = await scanCacheDir(hubCache);
    expect(scanned.warnings).toEqual([]);
    const repo = scanned.repos.find((r) => r.id.name === REPO)!;
    expect(repo.id.type).toBe("model");
    expect(repo.revisions.map((r) => [r.commitOid, r.refs])).toEqual([[hub.commit, ["main"]]]);
    expect(repo.revisions[0]!.files.map((f) => f.path.split(path.sep).at(-1)).sort()).toEqual([...MODEL_FILES].sort());
  });

  it("finds a snapshot another Hugging Face tool downloaded, without the network", async () => {
    await setup();
    // Laid out by hand as huggingface_hub writes it (refs/main without a newline, symlinks into blobs/).
    const repoDir = path.join(hubCache, "models--microsoft--bitnet-b1.58-2B-4T");
    for (const name of MODEL_FILES) {
      const file = hub.files.find((f) => f.path === name)!;
      const blob = blobOf(name);
      await mkdir(path.dirname(blob), { recursive: true });
      await writeFile(blob, file.content);
      const link = path.join(repoDir, "snapshots", hub.commit, name);
      await mkdir(path.dirname(link), { recursive: true });
      await symlink(path.relative(path.dirname(link), blob), link);
    }
    await mkdir(path.join(repoDir, "refs"), { recursive: true });
    await writeFile(path.join(repoDir, "refs", "main"), hub.commit);
    await hub.close();

    const result = await pull();
    expect(result).toMatchObject({ fromCache: true, commit: hub.commit, dir: path.join(repoDir, "snapshots", hub.commit) });
    expect(result.files.find((f) => f.path === "model.safetensors")).toEqual({ path: "model.safetensors", size: safetensors().size, sha256: safetensors().sha256 });
    expect(hub.requests).toEqual([]);
    // A snapshot missing a wanted file is not used: that would mean a download.
    await rm(path.join(repoDir, "snapshots", hub.commit, "tokenizer.json"));
    expect((await rejection(pull())).code).toBe("unreachable");
  });

  it("still uses a snapshot in this app's earlier layout (its own cache), so nothing is downloaded twice", async () => {
    await setup();
    const legacy = path.join(cacheRoot, "hub", "microsoft--bitnet-b1.58-2B-4T");
    const dir = path.join(legacy, hub.commit);
    await mkdir(dir, { recursive: true });
    const files = [];
    for (const name of MODEL_FILES) {
      const file = hub.files.find((f) => f.path === name)!;
      await writeFile(path.join(dir, name), file.content);
      files.push({ path: name, size: file.size, ...(file.lfs ? { sha256: file.sha256 } : { gitOid: file.gitOid }) });
    }
    await writeFile(path.join(dir, ".complete.json"), JSON.stringify({ repo: REPO, revision: "main", commit: hub.commit, hubUrl: hub.url, files }));
    await mkdir(path.join(legacy, "refs"), { recursive: true });
    await writeFile(path.join(legacy, "refs", "main"), `${hub.commit}\n`);
    const result = await pull();
    expect(result).toMatchObject({ fromCache: true, dir, commit: hub.commit });
    expect(hub.requests).toEqual([]);
  });

  it("resumes a dropped connection from the byte where it stopped", async () => {
    const dropAt = Math.floor(0.4 * (await readFile(path.join(sourceDir, "model.safetensors"))).length);
    await setup({ faults: { drop: { path: "model.safetensors", afterBytes: dropAt } } });
    const result = await pull();

    const ranges = hub.requests.filter((r) => r.path.startsWith("/lfs/") && r.range && r.range !== "bytes=0-0");
    expect(ranges.map((r) => r.range)).toEqual([`bytes=${dropAt}-${safetensors().size - 1}`]);
    expect((await readFile(path.join(result.dir, "model.safetensors"))).equals(safetensors().content)).toBe(true);
  });

  it("resumes a partial file left by an earlier run", async () => {
    await setup();
    await mkdir(path.dirname(blobOf("model.safetensors")), { recursive: true });
    const half = safetensors().content.subarray(0, 1000);
    await writeFile(`${blobOf("model.safetensors")}.incomplete`, half);
    const result = await pull();

    expect(hub.requests.some((r) => r.path.startsWith("/lfs/") && r.range === `bytes=1000-${safetensors().size - 1}`)).toBe(true);
    expect((await readFile(path.join(result.dir, "model.safetensors"))).equals(safetensors().content)).toBe(true);
  });

  it("rejects a wrong checksum and removes the bad file", async () => {
    await setup({ faults: { corrupt: ["model.safetensors"] } });
    const error = await rejection(pull());

    expect(error.code).toBe("checksum_mismatch");
    expect(error.message).toMatch(/model\.safetensors failed verification \(sha256 .*expected/);
    expect(error.message).toMatch(/removed/);
    expect(error.hint).toMatch(/Retry/);
    const dir = snapshotDir(hubCache, REPO, hub.commit);
    expect(existsSync(path.join(dir, "model.safetensors"))).toBe(false);
    expect(existsSync(blobOf("model.safetensors"))).toBe(false);
    expect(existsSync(`${blobOf("model.safetensors")}.incomplete`)).toBe(false);
    expect(existsSync(path.join(hubCache, "models--microsoft--bitnet-b1.58-2B-4T", "refs", "main"))).toBe(false);
  });

  it("reports a missing repo and a missing revision as not found", async () => {
    await setup();
    const repoError = await rejection(pull({ repo: "nobody/no-such-model" }));
    expect(repoError.code).toBe("not_found");
    expect(repoError.message).toContain("nobody/no-such-model");
    expect(repoError.hint).toMatch(/BITNET_MODEL/);

    const revError = await rejection(pull({ revision: "v9-missing" }));
    expect(revError.code).toBe("not_found");
    expect(revError.message).toContain("v9-missing");
  });

  it("reports a missing file as not found", async () => {
    await setup();
    const error = await rejection(pull({ files: ["config.json", "model-00001-of-00002.safetensors"] }));
    expect(error.code).toBe("not_found");
    expect(error.message).toContain("model-00001-of-00002.safetensors");
  });

  it("asks for a token on 401 and sends HF_TOKEN when set", async () => {
    await setup({ faults: { requireToken: "hf_testtoken" } });
    const error = await rejection(pull());
    expect(error.code).toBe("unauthorized");
    expect(error.message).toMatch(/401/);
    expect(error.hint).toMatch(/HF_TOKEN/);

    const result = await pull({ config: { hubUrl: hub.url, cacheRoot, hubCache, accessToken: "hf_testtoken" } });
    expect(result.fromCache).toBe(false);
    expect(hub.requests.filter((r) => r.authorization === "Bearer hf_testtoken").length).toBeGreaterThan(0);
  });

  it("says the host is unreachable when nothing listens", async () => {
    await setup();
    const port = await freePort();
    const error = await rejection(pull({ config: { hubUrl: `http://127.0.0.1:${port}`, cacheRoot, hubCache } }));
    expect(error.code).toBe("unreachable");
    expect(error.message).toMatch(/Cannot reach the model hub at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(error.hint).toMatch(/offline/);
  });

  it("uses the cache on the next start with the server stopped", async () => {
    await setup();
    const first = await pull();
    const url = hub.url;
    await hub.close();
    const second = await downloadSnapshot({ repo: REPO, config: { hubUrl: url, cacheRoot, hubCache, accessToken: undefined, revision: "main" } });
    expect(second.fromCache).toBe(true);
    expect(second.dir).toBe(first.dir);
    expect(second.commit).toBe(hub.commit);

    // Pinning the commit works offline too; an unknown revision is not invented from the cache.
    const pinned = await downloadSnapshot({ repo: REPO, revision: hub.commit, config: { hubUrl: url, cacheRoot, hubCache } });
    expect(pinned.fromCache).toBe(true);
    const other = await rejection(downloadSnapshot({ repo: REPO, revision: "dev", config: { hubUrl: url, cacheRoot, hubCache } }));
    expect(other.code).toBe("unreachable");
  });

  it("never touches the network with HF_HUB_OFFLINE", async () => {
    await setup();
    const error = await rejection(pull({ config: { hubUrl: hub.url, cacheRoot, hubCache, offline: true } }));
    expect(error.message).toMatch(/HF_HUB_OFFLINE is set and microsoft\/bitnet-b1\.58-2B-4T \(revision main\) is not in the cache/);
    expect(hub.requests).toEqual([]);

    await pull();
    const requests = hub.requests.length;
    const cached = await pull({ config: { hubUrl: hub.url, cacheRoot, hubCache, offline: true } });
    expect(cached.fromCache).toBe(true);
    expect(hub.requests.length).toBe(requests);
  });

  it("lets a second process wait for the first instead of downloading the same files twice", async () => {
    await setup({ chunkBytes: 64 * 1024, chunkDelayMs: 1 });
    let waited = 0;
    // Either call may win the lock; the other must wait once and then find the finished snapshot.
    const [a, b] = await Promise.all([pull({ onWaiting: () => waited++ }), pull({ onWaiting: () => waited++ })]);
    expect([a.fromCache, b.fromCache].sort()).toEqual([false, true]);
    expect(waited).toBe(1);
    expect(b.dir).toBe(a.dir);
    const bodies = hub.requests.filter((r) => r.path.startsWith("/lfs/") && r.range !== "bytes=0-0");
    expect(bodies.length).toBe(1);
  });

  it("stops when aborted and keeps the partial file for later", async () => {
    await setup({ chunkBytes: 64 * 1024, chunkDelayMs: 2 });
    const controller = new AbortController();
    let startOfFile = -1;
    const promise = pull({
      signal: controller.signal,
      onProgress: (p) => {
        if (p.file !== "model.safetensors") return;
        if (startOfFile < 0) startOfFile = p.bytesDone;
        else if (p.bytesDone > startOfFile) controller.abort();
      },
    });
    const error = await rejection(promise);
    expect(error.code).toBe("aborted");
    const dir = snapshotDir(hubCache, REPO, hub.commit);
    expect(existsSync(path.join(dir, "model.safetensors"))).toBe(false);
    expect(existsSync(blobOf("model.safetensors"))).toBe(false);
    const kept = (await readFile(`${blobOf("model.safetensors")}.incomplete`)).length;
    expect(kept).toBeGreaterThan(0);

    // The next start talks to an unthrottled hub serving the same commit.
    await hub.close();
    hub = await startFakeHub({ repo: REPO, sourceDir });
    const result = await pull();
    expect(hub.requests.some((r) => r.path.startsWith("/lfs/") && r.range === `bytes=${kept}-${safetensors().size - 1}`)).toBe(true);
    expect((await readFile(path.join(result.dir, "model.safetensors"))).equals(safetensors().content)).toBe(true);
  });
});

afterAll(async () => {
  await rm(sourceDir, { recursive: true, force: true });
});
