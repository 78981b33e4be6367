/**
 * SHA-256 digests that something already computed over a checkpoint's files (the hub downloader
 * verifies every LFS file's sha256 while it arrives, and names its blob by it), or recorded next to
 * the files with each file's size and mtime by earlier versions of the downloader (read, no longer written). The source fingerprint reuses such a digest, so a first
 * start does not read the 1.2 GB safetensors a second time right after the download.
 */
import { lstatSync, readFileSync, readlinkSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

export const VERIFIED_HASHES_FILE = ".verified-sha256.json";

const recordSchema = z.object({
  files: z.array(z.object({ name: z.string(), size: z.number(), mtimeMs: z.number(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
});

/**
 * The known digest of `dir/name`: in the Hugging Face cache a snapshot file is a symlink to a blob named
 * by its sha256 (LFS files; verified when this app downloaded it, and trusted as the name of its content
 * as the Hugging Face tools do); otherwise the recorded one (written next to the files by earlier
 * versions of the downloader), if the file's size and mtime still match it.
 */
export function verifiedSha256(dir: string, name: string): string | undefined {
  try {
    if (lstatSync(path.join(dir, name)).isSymbolicLink()) {
      const blob = path.basename(readlinkSync(path.join(dir, name)));
      if (/^[0-9a-f]{64}$/.test(blob)) return blob;
    }
  } catch {
    return undefined;
  }
  let record: z.infer<typeof recordSchema>;
  try {
    record = recordSchema.parse(JSON.parse(readFileSync(path.join(dir, VERIFIED_HASHES_FILE), "utf8")));
  } catch {
    return undefined;
  }
  const entry = record.files.find((f) => f.name === name);
  if (!entry) return undefined;
  try {
    const st = statSync(path.join(dir, name));
    return st.size === entry.size && Math.floor(st.mtimeMs) === entry.mtimeMs ? entry.sha256 : undefined;
  } catch {
    return undefined;
  }
}
