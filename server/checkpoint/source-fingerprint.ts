/**
 * Identity of a hub-format checkpoint for the convert-once cache: size + mtime of its files (cheap,
 * checked first) and a SHA-256 over config.json + model.safetensors (authoritative). Each file's own
 * sha256 is taken from verified-hashes.ts when the downloader already computed it, otherwise streamed.
 */
import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import path from "node:path";
import { verifiedSha256 } from "./verified-hashes";

export const FINGERPRINT_FILES = ["config.json", "model.safetensors"] as const;

export interface FileStamp {
  name: string;
  size: number;
  mtimeMs: number;
}

export function stampFiles(dir: string): FileStamp[] {
  return FINGERPRINT_FILES.map((name) => {
    const st = statSync(path.join(/*turbopackIgnore: true*/ dir, name));
    return { name, size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
  });
}

export function sameStamps(a: FileStamp[], b: FileStamp[]): boolean {
  return a.length === b.length && a.every((x, i) => x.name === b[i].name && x.size === b[i].size && x.mtimeMs === b[i].mtimeMs);
}

/**
 * SHA-256 over each file's name, length and content sha256 (the 2B safetensors is ~1.2 GB: seconds of
 * reading when the downloader did not hash it already). `onBytes` hears how far the reading got, over the
 * bytes that must be read (none when every file's hash is known).
 */
export async function hashSource(dir: string, onBytes?: (done: number, total: number) => void): Promise<string> {
  const files = FINGERPRINT_FILES.map((name) => {
    const file = path.join(/*turbopackIgnore: true*/ dir, name);
    return { name, file, size: statSync(file).size, known: verifiedSha256(dir, name) };
  });
  const total = files.reduce((n, f) => n + (f.known ? 0 : f.size), 0);
  let before = 0;
  const hash = createHash("sha256");
  for (const f of files) {
    const offset = before;
    const digest = f.known ?? (await sha256File(f.file, onBytes && ((done) => onBytes(offset + done, total))));
    if (!f.known) before += f.size;
    hash.update(`${f.name}\0${f.size}\0${digest}\n`);
  }
  return hash.digest("hex");
}

export async function sha256File(file: string, onBytes?: (done: number) => void): Promise<string> {
  const hash = createHash("sha256");
  let done = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).byteLength;
    onBytes?.(done);
  }
  return hash.digest("hex");
}
