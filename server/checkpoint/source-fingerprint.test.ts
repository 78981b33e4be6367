/**
 * The source fingerprint reuses a sha256 the download already established instead of reading the file
 * again: the blob name a Hugging Face cache snapshot links to, or a recorded digest (earlier
 * downloader versions) only while the file keeps the recorded size and mtime; with a right record it
 * equals the fingerprint computed by reading.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashSource, sha256File } from "./source-fingerprint";
import { VERIFIED_HASHES_FILE, verifiedSha256 } from "./verified-hashes";

const root = mkdtempSync(path.join(os.tmpdir(), "bitnet-fingerprint-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function checkpointDir(name: string): string {
  const dir = path.join(root, name);
  const weights = Buffer.alloc(256 * 1024);
  for (let i = 0; i < weights.length; i++) weights[i] = (i * 31) & 0xff;
  mkdirSync(dir);
  writeFileSync(path.join(dir, "config.json"), '{"hidden_size": 64}');
  writeFileSync(path.join(dir, "model.safetensors"), weights);
  return dir;
}

/** The record earlier downloader versions wrote next to the files: each file's sha256 with its size and mtime. */
function recordVerifiedHashes(dir: string, files: readonly { name: string; sha256: string }[]): void {
  const entries = files.map(({ name, sha256 }) => {
    const st = statSync(path.join(dir, name));
    return { name, size: st.size, mtimeMs: Math.floor(st.mtimeMs), sha256 };
  });
  writeFileSync(path.join(dir, VERIFIED_HASHES_FILE), JSON.stringify({ files: entries }, null, 2) + "\n");
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("hashSource with recorded sha256s", () => {
  it("equals the read-everything fingerprint when the recorded hash is the file's", async () => {
    const dir = checkpointDir("right");
    const read = await hashSource(dir);
    recordVerifiedHashes(dir, [{ name: "model.safetensors", sha256: await sha256File(path.join(dir, "model.safetensors")) }]);
    expect(await hashSource(dir)).toBe(read);
  });

  it("does not read a file whose recorded size and mtime match: the recorded digest is what counts", async () => {
    const dir = checkpointDir("reuse");
    const read = await hashSource(dir);
    // A digest the bytes cannot have: if hashSource read the file, the fingerprint would equal `read`.
    const recorded = sha256("not the content");
    recordVerifiedHashes(dir, [{ name: "model.safetensors", sha256: recorded }]);
    expect(verifiedSha256(dir, "model.safetensors")).toBe(recorded);
    const reused = await hashSource(dir);
    expect(reused).not.toBe(read);

    // The same fingerprint, built by hand from the files' digests: config.json read, the weights recorded.
    const configDigest = await sha256File(path.join(dir, "config.json"));
    const expected = createHash("sha256")
      .update(`config.json\0${Buffer.byteLength('{"hidden_size": 64}')}\0${configDigest}\n`)
      .update(`model.safetensors\0${256 * 1024}\0${recorded}\n`)
      .digest("hex");
    expect(reused).toBe(expected);
  });

  it("reads the file again once its mtime no longer matches the record", async () => {
    const dir = checkpointDir("touched");
    const read = await hashSource(dir);
    recordVerifiedHashes(dir, [{ name: "model.safetensors", sha256: sha256("stale") }]);
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(dir, "model.safetensors"), later, later);
    expect(verifiedSha256(dir, "model.safetensors")).toBeUndefined();
    expect(await hashSource(dir)).toBe(read);
  });

  it("takes the digest of a Hugging Face cache snapshot file from the blob its link points to, without reading it", async () => {
    const dir = checkpointDir("hf-snapshot");
    const read = await hashSource(dir);
    // The cache's layout: snapshots/<commit>/model.safetensors → ../../blobs/<sha256>. A name the bytes
    // cannot have proves the name, not the content, was used.
    const named = sha256("not the content");
    const blobs = path.join(root, "hf-blobs");
    mkdirSync(blobs);
    renameSync(path.join(dir, "model.safetensors"), path.join(blobs, named));
    symlinkSync(path.relative(dir, path.join(blobs, named)), path.join(dir, "model.safetensors"));
    expect(verifiedSha256(dir, "model.safetensors")).toBe(named);
    const configDigest = await sha256File(path.join(dir, "config.json"));
    const expected = createHash("sha256")
      .update(`config.json\0${Buffer.byteLength('{"hidden_size": 64}')}\0${configDigest}\n`)
      .update(`model.safetensors\0${256 * 1024}\0${named}\n`)
      .digest("hex");
    const fingerprint = await hashSource(dir);
    expect(fingerprint).toBe(expected);
    expect(fingerprint).not.toBe(read);
  });
});

describe("hashSource progress", () => {
  it("reports the bytes read as it reads, up to every byte that had to be read, and nothing to read when all hashes are known", async () => {
    const dir = checkpointDir("progress");
    const seen: [number, number][] = [];
    const read = await hashSource(dir, (done, total) => seen.push([done, total]));
    const total = 256 * 1024 + '{"hidden_size": 64}'.length;
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every(([, t]) => t === total)).toBe(true);
    expect(seen.map(([done]) => done)).toEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
    expect(seen.at(-1)).toEqual([total, total]);
    recordVerifiedHashes(dir, [{ name: "model.safetensors", sha256: await sha256File(path.join(dir, "model.safetensors")) }]);
    const rest: [number, number][] = [];
    expect(await hashSource(dir, (done, t) => rest.push([done, t]))).toBe(read);
    expect(rest.at(-1)).toEqual([19, 19]); // only config.json is read now
  });
});
