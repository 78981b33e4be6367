/**
 * Downloaded checkpoints live in the Hugging Face cache, laid out as huggingface_hub (Python) and
 * @huggingface/hub write it, so a model fetched by any Hugging Face tool is found here without
 * downloading it again, and what this app downloads serves those tools too:
 *
 *   <hub cache>/models--<owner>--<name>/refs/<revision>            the commit a branch/tag resolved to
 *   <hub cache>/models--<owner>--<name>/blobs/<etag>               the content (etag: sha256 of an LFS file,
 *                                                                  git blob sha1 of a small one)
 *   <hub cache>/models--<owner>--<name>/blobs/<etag>.incomplete    an interrupted download (resumed, never used)
 *   <hub cache>/models--<owner>--<name>/snapshots/<commit>/<file>  a relative symlink to ../../blobs/<etag>
 *
 * A blob gets its final name only once verified, and a snapshot entry only points at a final blob, so a
 * file present in a snapshot is whole (the same rule those tools rely on): a restart needs no network.
 * The hub cache is HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub (see hub-config.ts).
 *
 * Earlier versions of this app kept snapshots in its own cache (`<BITNET_CACHE>/hub/<owner>--<name>/<commit>/`
 * with a `.complete.json`); such a snapshot is still used, read-only, so nobody downloads 1.2 GB again.
 */
import { getRepoFolderName } from "@huggingface/hub";
import { copyFile, lstat, mkdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";

export interface VerifiedFile {
  path: string;
  size: number;
  /** sha256 of the content (LFS files), or the git blob sha1 (small files stored in git). */
  sha256?: string;
  gitOid?: string;
}

export interface CachedSnapshot {
  dir: string;
  commit: string;
  files: VerifiedFile[];
}

export function repoCacheDir(hubCache: string, repo: string): string {
  return path.join(hubCache, getRepoFolderName({ name: repo, type: "model" }));
}

export function snapshotDir(hubCache: string, repo: string, commit: string): string {
  return path.join(repoCacheDir(hubCache, repo), "snapshots", commit);
}

export function blobPath(hubCache: string, repo: string, etag: string): string {
  return path.join(repoCacheDir(hubCache, repo), "blobs", etag);
}

/** Where a download of `repo` takes its cross-process lock (huggingface_hub keeps its own locks there too). */
export function lockDir(hubCache: string, repo: string): string {
  return path.join(hubCache, ".locks", getRepoFolderName({ name: repo, type: "model" }));
}

/** What a snapshot entry points at: the blob's etag is a sha256 (64 hex) or a git blob sha1 (40 hex). */
export function etagOf(file: VerifiedFile): string | undefined {
  return file.sha256 ?? file.gitOid;
}

export function isCommitHash(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}

/** Revisions may contain slashes (refs/pr/1, kept as folders as huggingface_hub does) but never leave refs/. */
function refPath(hubCache: string, repo: string, revision: string): string | null {
  const refs = path.join(repoCacheDir(hubCache, repo), "refs");
  const file = path.resolve(refs, revision);
  return file.startsWith(`${refs}${path.sep}`) ? file : null;
}

export async function readRef(hubCache: string, repo: string, revision: string): Promise<string | null> {
  if (isCommitHash(revision)) return revision;
  const file = refPath(hubCache, repo, revision);
  if (!file) return null;
  try {
    const commit = (await readFile(file, "utf8")).trim();
    return isCommitHash(commit) ? commit : null;
  } catch {
    return null;
  }
}

export async function writeRef(hubCache: string, repo: string, revision: string, commit: string): Promise<void> {
  const file = isCommitHash(revision) ? null : refPath(hubCache, repo, revision);
  if (!file) return;
  await mkdir(path.dirname(file), { recursive: true });
  // No trailing newline: the form huggingface_hub writes (it strips whitespace when reading anyway).
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, commit);
  await rename(tmp, file);
}

/**
 * Points `snapshots/<commit>/<file>` at its verified blob with a relative symlink (what the Hugging Face
 * tools write); where symlinks are not allowed (Windows without developer mode) the blob is copied, as
 * huggingface_hub does too.
 */
export async function linkSnapshotFile(hubCache: string, repo: string, commit: string, file: VerifiedFile): Promise<void> {
  const etag = etagOf(file);
  if (!etag) throw new Error(`${file.path} has no hash to name its blob`);
  const blob = blobPath(hubCache, repo, etag);
  const pointer = path.join(snapshotDir(hubCache, repo, commit), file.path);
  await mkdir(path.dirname(pointer), { recursive: true });
  await rm(pointer, { force: true });
  try {
    await symlink(path.relative(path.dirname(pointer), blob), pointer);
  } catch {
    await copyFile(blob, pointer);
  }
}

/** The cached snapshot of `revision` with every wanted file in place, in the Hugging Face cache; no network. */
export async function findCachedSnapshot(options: {
  hubCache: string;
  repo: string;
  revision: string;
  files: readonly string[];
}): Promise<CachedSnapshot | null> {
  const commit = await readRef(options.hubCache, options.repo, options.revision);
  if (!commit) return null;
  const dir = snapshotDir(options.hubCache, options.repo, commit);
  const files: VerifiedFile[] = [];
  for (const name of options.files) {
    const found = await snapshotFile(dir, name);
    if (!found) return null;
    files.push(found);
  }
  return { dir, commit, files };
}

/** A snapshot entry (following its symlink), with the hash its blob's name tells. */
async function snapshotFile(dir: string, name: string): Promise<VerifiedFile | null> {
  const file = path.join(dir, name);
  try {
    const target = await stat(file);
    if (!target.isFile()) return null;
    const entry: VerifiedFile = { path: name, size: target.size };
    if ((await lstat(file)).isSymbolicLink()) {
      const etag = path.basename(await readlink(file));
      if (/^[0-9a-f]{64}$/.test(etag)) entry.sha256 = etag;
      else if (/^[0-9a-f]{40}$/.test(etag)) entry.gitOid = etag;
    }
    return entry;
  } catch {
    return null;
  }
}

/** A complete snapshot in this app's earlier layout under its own cache (see the header), if there is one. */
export async function findLegacySnapshot(options: {
  cacheRoot: string;
  repo: string;
  revision: string;
  files: readonly string[];
}): Promise<CachedSnapshot | null> {
  const repoDir = path.join(options.cacheRoot, "hub", options.repo.replace("/", "--"));
  let commit: string | null = isCommitHash(options.revision) ? options.revision : null;
  if (!commit) {
    try {
      const ref = (await readFile(path.join(repoDir, "refs", encodeURIComponent(options.revision)), "utf8")).trim();
      commit = isCommitHash(ref) ? ref : null;
    } catch {
      return null;
    }
  }
  if (!commit) return null;
  const dir = path.join(repoDir, commit);
  let manifest: { commit?: string; files?: VerifiedFile[] };
  try {
    manifest = JSON.parse(await readFile(path.join(dir, ".complete.json"), "utf8")) as typeof manifest;
  } catch {
    return null;
  }
  if (manifest.commit !== commit || !manifest.files) return null;
  const files: VerifiedFile[] = [];
  for (const name of options.files) {
    const entry = manifest.files.find((f) => f.path === name);
    if (!entry || (await fileSize(path.join(dir, name))) !== entry.size) return null;
    files.push(entry);
  }
  return { dir, commit, files };
}

export async function fileSize(file: string): Promise<number | null> {
  try {
    return (await stat(file)).size;
  } catch {
    return null;
  }
}
