/**
 * server/hub/ — getting a checkpoint from the Hugging Face Hub: download, resume, verify, snapshot
 * cache, progress, locks.
 *
 * Acquires a checkpoint from the Hugging Face Hub (or a mirror at HF_ENDPOINT) into the cache:
 * a complete cached snapshot is used without any network; otherwise the revision is resolved to a commit,
 * the wanted files are listed with their sizes and hashes, and each one is downloaded, verified and moved
 * into place. The snapshot's `.complete.json` is written last.
 */
import { listFiles, modelInfo, type ListFileEntry } from "@huggingface/hub";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { hubConfigFromEnv, MODEL_FILES, type HubConfig } from "./hub-config";
import { ProgressTracker, type DownloadProgress } from "./download-progress";
import { downloadVerifiedFile } from "./download-file";
import { diskFullError, invalidEndpointError, notFoundError, offlineError, toHubError, type ErrorContext } from "./hub-error";
import { lockRepoCache } from "./repo-lock";
import { fileSize, findCachedSnapshot, repoCacheDir, snapshotDir, writeManifest, writeRef, type VerifiedFile } from "./snapshot-cache";
import { freeBytes, normalizeEtag } from "./verify";
import { recordVerifiedHashes } from "@/server/checkpoint/verified-hashes";

export interface SnapshotRequest {
  repo: string;
  /** Branch, tag or commit; default BITNET_REVISION or "main". */
  revision?: string;
  files?: readonly string[];
  /** Overrides of the environment (HF_ENDPOINT, HF_TOKEN, BITNET_CACHE). */
  config?: Partial<HubConfig>;
  onProgress?: (progress: DownloadProgress) => void;
  /** Called once if another process is downloading the same repo and this one waits for it. */
  onWaiting?: () => void;
  signal?: AbortSignal;
  /** Retry pacing for dropped connections (tests shorten it). */
  retryDelayMs?: number;
}

export interface SnapshotResult {
  dir: string;
  repo: string;
  revision: string;
  commit: string;
  /** True when the cache already had the whole snapshot and no request was made. */
  fromCache: boolean;
  files: VerifiedFile[];
}

/** Room left on the disk beyond the files themselves (the converter writes next to the cache too). */
const DISK_MARGIN_BYTES = 64 * 1024 * 1024;

export async function downloadSnapshot(request: SnapshotRequest): Promise<SnapshotResult> {
  const config = { ...hubConfigFromEnv(), ...request.config };
  const { repo } = request;
  const revision = request.revision ?? config.revision;
  const wanted = request.files ?? MODEL_FILES;

  const fromCache = async (): Promise<SnapshotResult | null> => {
    const cached = await findCachedSnapshot({ cacheRoot: config.cacheRoot, repo, revision, files: wanted });
    return cached && { dir: cached.dir, repo, revision, commit: cached.manifest.commit, fromCache: true, files: cached.manifest.files };
  };
  const cached = await fromCache();
  if (cached) return cached;
  if (config.offline) throw offlineError(repo, revision);

  if (!URL.canParse(config.hubUrl) || !/^https?:$/.test(new URL(config.hubUrl).protocol)) throw invalidEndpointError(config.hubUrl);
  const release = await lockRepoCache(repoCacheDir(config.cacheRoot, repo), { signal: request.signal, onWaiting: request.onWaiting });
  try {
    // Another process may have finished this snapshot while we waited for the lock.
    return (await fromCache()) ?? (await download(request, config, revision, wanted));
  } finally {
    await release();
  }
}

async function download(request: SnapshotRequest, config: HubConfig, revision: string, wanted: readonly string[]): Promise<SnapshotResult> {
  const { repo } = request;
  const ctx: ErrorContext = { hubUrl: config.hubUrl, repo, revision };
  const { signal } = request;
  const fetchWithSignal: typeof fetch = signal ? (input, init) => fetch(input, { ...init, signal }) : fetch;
  const hubParams = { hubUrl: config.hubUrl, accessToken: config.accessToken, fetch: fetchWithSignal };

  let commit: string;
  let listing: ListFileEntry[];
  try {
    const info = await modelInfo({ name: repo, revision, additionalFields: ["sha"], ...hubParams });
    commit = info.sha;
    listing = [];
    for await (const entry of listFiles({ repo, revision: commit, recursive: true, ...hubParams })) listing.push(entry);
  } catch (error) {
    throw toHubError(error, ctx, signal);
  }

  const expected = wanted.map((name): VerifiedFile => {
    const entry = listing.find((e) => e.path === name && e.type === "file");
    if (!entry) throw notFoundError({ ...ctx, file: name });
    return entry.lfs
      ? { path: name, size: entry.lfs.size, sha256: normalizeEtag(entry.lfs.oid) }
      : { path: name, size: entry.size, gitOid: entry.oid ? normalizeEtag(entry.oid) : undefined };
  });

  const dir = snapshotDir(config.cacheRoot, repo, commit);
  await mkdir(dir, { recursive: true });
  const onDisk = await Promise.all(expected.map((f) => bytesOnDisk(dir, f)));
  const total = expected.reduce((sum, f) => sum + f.size, 0);
  const needed = total - onDisk.reduce((a, b) => a + b, 0);
  const free = await freeBytes(dir);
  if (free !== null && free < needed + DISK_MARGIN_BYTES) throw diskFullError(dir, needed + DISK_MARGIN_BYTES - free);

  const tracker = new ProgressTracker(total, 0, request.onProgress);
  for (let i = 0; i < expected.length; i++) {
    await downloadVerifiedFile({
      repo,
      commit,
      revision,
      hubUrl: config.hubUrl,
      accessToken: config.accessToken,
      dir,
      expected: expected[i],
      tracker,
      fetch: fetchWithSignal,
      signal,
      laterBytes: expected.slice(i + 1).reduce((sum, f) => sum + f.size, 0),
      retryDelayMs: request.retryDelayMs,
    });
  }
  tracker.flush();

  // Every file now on disk passed verification; the converter's source fingerprint reuses the sha256s.
  recordVerifiedHashes(dir, expected.flatMap((f) => (f.sha256 ? [{ name: f.path, sha256: f.sha256 }] : [])));
  await writeManifest(dir, { repo, revision, commit, hubUrl: config.hubUrl, files: expected, completedAt: new Date().toISOString() });
  await writeRef(config.cacheRoot, repo, revision, commit);
  return { dir, repo, revision, commit, fromCache: false, files: expected };
}

/** Bytes of a file already downloaded (complete or partial), so the disk check asks only for the rest. */
async function bytesOnDisk(dir: string, file: VerifiedFile): Promise<number> {
  const full = path.join(dir, file.path);
  if ((await fileSize(full)) === file.size) return file.size;
  return Math.min(file.size, (await fileSize(`${full}.partial`)) ?? 0);
}
