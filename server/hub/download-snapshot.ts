/**
 * server/hub/ — getting a checkpoint from the Hugging Face Hub: download, resume, verify, snapshot
 * cache, progress, locks.
 *
 * Acquires a checkpoint from the Hugging Face Hub (or a mirror at HF_ENDPOINT) into the Hugging Face
 * cache (snapshot-cache.ts): a cached snapshot with every wanted file is used without any network
 * (whichever tool downloaded it); otherwise the revision is resolved to a commit, the wanted files are
 * listed with their sizes and hashes, and each one is downloaded into its blob, verified, and linked
 * into the snapshot. The ref is written last.
 */
import { listFiles, modelInfo, type ListFileEntry } from "@huggingface/hub";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { hubConfigFromEnv, MODEL_FILES, type HubConfig } from "./hub-config";
import { ProgressTracker, type DownloadProgress } from "./download-progress";
import { downloadVerifiedFile } from "./download-file";
import { diskFullError, invalidEndpointError, notFoundError, offlineError, toHubError, type ErrorContext } from "./hub-error";
import { lockRepoCache } from "./repo-lock";
import {
  blobPath,
  etagOf,
  fileSize,
  findCachedSnapshot,
  findLegacySnapshot,
  linkSnapshotFile,
  lockDir,
  snapshotDir,
  writeRef,
  type VerifiedFile,
} from "./snapshot-cache";
import { freeBytes, normalizeEtag } from "./verify";

export interface SnapshotRequest {
  repo: string;
  /** Branch, tag or commit; default BITNET_REVISION or "main". */
  revision?: string;
  files?: readonly string[];
  /** Overrides of the environment (HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE, BITNET_CACHE). */
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
    const found = { hubCache: config.hubCache, cacheRoot: config.cacheRoot, repo, revision, files: wanted };
    const cached = (await findCachedSnapshot(found)) ?? (await findLegacySnapshot(found));
    return cached && { dir: cached.dir, repo, revision, commit: cached.commit, fromCache: true, files: cached.files };
  };
  const cached = await fromCache();
  if (cached) return cached;
  if (config.offline) throw offlineError(repo, revision);

  if (!URL.canParse(config.hubUrl) || !/^https?:$/.test(new URL(config.hubUrl).protocol)) throw invalidEndpointError(config.hubUrl);
  const release = await lockRepoCache(lockDir(config.hubCache, repo), { signal: request.signal, onWaiting: request.onWaiting });
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

  const blobs = path.dirname(blobPath(config.hubCache, repo, "x"));
  await mkdir(blobs, { recursive: true });
  const blobOf = (file: VerifiedFile) => {
    const etag = etagOf(file);
    // Every hub listing has one (the blob's name in the Hugging Face cache); a mirror without it cannot be cached.
    if (!etag) throw notFoundError({ ...ctx, file: file.path });
    return blobPath(config.hubCache, repo, etag);
  };
  const onDisk = await Promise.all(expected.map((f) => bytesOnDisk(blobOf(f), f)));
  const total = expected.reduce((sum, f) => sum + f.size, 0);
  const needed = total - onDisk.reduce((a, b) => a + b, 0);
  const free = await freeBytes(blobs);
  if (free !== null && free < needed + DISK_MARGIN_BYTES) throw diskFullError(blobs, needed + DISK_MARGIN_BYTES - free);

  const tracker = new ProgressTracker(total, 0, request.onProgress);
  for (let i = 0; i < expected.length; i++) {
    await downloadVerifiedFile({
      repo,
      commit,
      revision,
      hubUrl: config.hubUrl,
      accessToken: config.accessToken,
      blob: blobOf(expected[i]),
      expected: expected[i],
      tracker,
      fetch: fetchWithSignal,
      signal,
      laterBytes: expected.slice(i + 1).reduce((sum, f) => sum + f.size, 0),
      retryDelayMs: request.retryDelayMs,
    });
  }
  tracker.flush();

  // Every blob is verified; the snapshot points at them, and the ref (written last) makes it findable.
  for (const file of expected) await linkSnapshotFile(config.hubCache, repo, commit, file);
  await writeRef(config.hubCache, repo, revision, commit);
  return { dir: snapshotDir(config.hubCache, repo, commit), repo, revision, commit, fromCache: false, files: expected };
}

/** Bytes of a blob already downloaded (complete or partial), so the disk check asks only for the rest. */
async function bytesOnDisk(blob: string, file: VerifiedFile): Promise<number> {
  if ((await fileSize(blob)) === file.size) return file.size;
  return Math.min(file.size, (await fileSize(`${blob}.incomplete`)) ?? 0);
}
