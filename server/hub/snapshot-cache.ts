/**
 * The on-disk layout of downloaded checkpoints:
 *
 *   <cache>/hub/<owner>--<name>/refs/<revision>        the commit a branch/tag resolved to last time
 *   <cache>/hub/<owner>--<name>/<commit>/<file>        verified files
 *   <cache>/hub/<owner>--<name>/<commit>/<file>.partial  an interrupted download (resumed, never used)
 *   <cache>/hub/<owner>--<name>/<commit>/.complete.json  written last: the snapshot is whole and verified
 *
 * A snapshot is only used when its `.complete.json` lists every wanted file with the size found on disk,
 * which lets a restart use the cache without touching the network.
 */
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";

export const COMPLETE_MARKER = ".complete.json";

export interface VerifiedFile {
  path: string;
  size: number;
  /** sha256 of the content (LFS files), or the git blob sha1 (small files stored in git). */
  sha256?: string;
  gitOid?: string;
}

export interface SnapshotManifest {
  repo: string;
  revision: string;
  commit: string;
  hubUrl: string;
  files: VerifiedFile[];
  completedAt: string;
}

export function repoCacheDir(cacheRoot: string, repo: string): string {
  return path.join(cacheRoot, "hub", repo.replace("/", "--"));
}

export function snapshotDir(cacheRoot: string, repo: string, commit: string): string {
  return path.join(repoCacheDir(cacheRoot, repo), commit);
}

function refPath(cacheRoot: string, repo: string, revision: string): string {
  // Revisions may contain slashes (refs/pr/1): keep one flat file per ref.
  return path.join(repoCacheDir(cacheRoot, repo), "refs", encodeURIComponent(revision));
}

export function isCommitHash(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}

export async function readRef(cacheRoot: string, repo: string, revision: string): Promise<string | null> {
  if (isCommitHash(revision)) return revision;
  try {
    const commit = (await readFile(refPath(cacheRoot, repo, revision), "utf8")).trim();
    return isCommitHash(commit) ? commit : null;
  } catch {
    return null;
  }
}

export async function writeRef(cacheRoot: string, repo: string, revision: string, commit: string): Promise<void> {
  if (isCommitHash(revision)) return;
  const file = refPath(cacheRoot, repo, revision);
  await mkdir(path.dirname(file), { recursive: true });
  await writeAtomically(file, `${commit}\n`);
}

export async function readManifest(dir: string): Promise<SnapshotManifest | null> {
  try {
    return JSON.parse(await readFile(path.join(dir, COMPLETE_MARKER), "utf8")) as SnapshotManifest;
  } catch {
    return null;
  }
}

export async function writeManifest(dir: string, manifest: SnapshotManifest): Promise<void> {
  await writeAtomically(path.join(dir, COMPLETE_MARKER), JSON.stringify(manifest, null, 2));
}

/** The complete snapshot for `revision` if the cache has one with every wanted file in place; no network. */
export async function findCachedSnapshot(options: {
  cacheRoot: string;
  repo: string;
  revision: string;
  files: readonly string[];
}): Promise<{ dir: string; manifest: SnapshotManifest } | null> {
  const commit = await readRef(options.cacheRoot, options.repo, options.revision);
  if (!commit) return null;
  const dir = snapshotDir(options.cacheRoot, options.repo, commit);
  const manifest = await readManifest(dir);
  if (!manifest || manifest.commit !== commit) return null;
  for (const name of options.files) {
    const entry = manifest.files.find((f) => f.path === name);
    if (!entry || (await fileSize(path.join(dir, name))) !== entry.size) return null;
  }
  return { dir, manifest };
}

export async function fileSize(file: string): Promise<number | null> {
  try {
    return (await stat(file)).size;
  } catch {
    return null;
  }
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}
