/**
 * Content checks for downloaded files. The hub identifies LFS files by the sha256 of their content
 * (`lfs.oid`, also the ETag of the resolve URL) and small git-stored files by their git blob sha1 (`oid`),
 * so both are checked incrementally while the bytes arrive.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { statfs } from "node:fs/promises";

export interface ExpectedContent {
  path: string;
  size: number;
  sha256?: string;
  gitOid?: string;
}

export class ContentVerifier {
  private readonly hash: Hash | null;
  private readonly algorithm: "sha256" | "git-sha1" | null;

  constructor(private readonly expected: ExpectedContent) {
    if (expected.sha256) {
      this.algorithm = "sha256";
      this.hash = createHash("sha256");
    } else if (expected.gitOid) {
      this.algorithm = "git-sha1";
      // A git blob id is sha1("blob <size>\0" + content).
      this.hash = createHash("sha1").update(`blob ${expected.size}\0`);
    } else {
      this.algorithm = null;
      this.hash = null;
    }
  }

  update(chunk: Uint8Array): void {
    this.hash?.update(chunk);
  }

  /** Feeds the first `length` bytes of an existing partial file (when resuming). */
  async updateFromFile(file: string, length: number): Promise<void> {
    if (!this.hash || length === 0) return;
    const stream = createReadStream(file, { start: 0, end: length - 1, highWaterMark: 1 << 20 });
    for await (const chunk of stream) this.hash.update(chunk as Buffer);
  }

  /** null when the content matches, otherwise a description of the mismatch. */
  finish(actualSize: number): string | null {
    if (actualSize !== this.expected.size) return `size ${actualSize} bytes, expected ${this.expected.size}`;
    if (!this.hash || !this.algorithm) return null;
    const digest = this.hash.digest("hex");
    const want = this.algorithm === "sha256" ? this.expected.sha256! : this.expected.gitOid!;
    const label = this.algorithm === "sha256" ? "sha256" : "git blob id";
    return digest === want.toLowerCase() ? null : `${label} ${digest.slice(0, 12)}…, expected ${want.slice(0, 12)}…`;
  }
}

/** Free bytes for an unprivileged user on the disk holding `dir` (null if the platform cannot tell). */
export async function freeBytes(dir: string): Promise<number | null> {
  try {
    const s = await statfs(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

/** The hub quotes ETags and may mark them weak: `W/"abc"` → `abc`. */
export function normalizeEtag(etag: string): string {
  return etag.replace(/^W\//, "").replace(/^"|"$/g, "").toLowerCase();
}
