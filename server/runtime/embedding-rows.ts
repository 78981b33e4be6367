/**
 * The token embedding lookup, outside onnxruntime: one positioned read per token row from the converted
 * folder's weight file (layout: the manifest's `embedding`, server/checkpoint/onnx-manifest.ts), dequantized
 * as onnxruntime's GatherBlockQuantized does — value = float32((code − 2^(bits−1)) · scale) — so the graph
 * sees the rows it used to gather itself.
 *
 * Why reads and not a mapping or a table in memory: the bytes are the tied LM head's, which onnxruntime
 * already holds prepacked; mapping them (as GatherBlockQuantized did) kept every looked-up row's pages resident
 * in the process (≈ 230 MB after a 2k context of varied tokens) and a table in memory would duplicate the
 * whole embedding. A read goes through the page cache, which the kernel can reclaim and is not our RSS.
 * A decode step reads one row (1.3 KB codes + 80 B scales at 4 bits, hidden 2560).
 */
import { closeSync, openSync, readSync } from "node:fs";
import path from "node:path";
import type { BitNetManifest } from "@/server/checkpoint/onnx-manifest";

export class EmbeddingRows {
  private fd: number | null;
  private readonly hidden: number;
  private readonly bits: 4 | 8 | 16;
  private readonly rowBytes: number;
  private readonly blocks: number;
  private readonly blockSize: number;
  private readonly codes: Uint8Array;
  private readonly scales: Float32Array;
  private readonly file: string;

  constructor(
    dir: string,
    private readonly m: Pick<BitNetManifest, "embedding" | "embeddingBits" | "embeddingBlockSize" | "hiddenSize" | "vocabSize">,
  ) {
    this.file = path.join(dir, m.embedding.file);
    this.hidden = m.hiddenSize;
    this.bits = m.embeddingBits;
    this.rowBytes = (m.hiddenSize * m.embeddingBits) / 8;
    this.blockSize = m.embeddingBits === 16 ? m.hiddenSize : m.embeddingBlockSize;
    this.blocks = m.hiddenSize / this.blockSize;
    if (this.bits !== 16 && (m.embedding.scalesOffset === undefined || !Number.isInteger(this.blocks))) {
      throw new Error(`${this.file}: the manifest's embedding layout lacks block scales for ${this.bits}-bit rows`);
    }
    this.codes = new Uint8Array(this.rowBytes);
    this.scales = new Float32Array(this.blocks);
    this.fd = openSync(this.file, "r");
  }

  /** Writes the rows of `ids` (each in 0..vocab−1) into `out` as [ids.length, hidden] floats, from `out[0]`. */
  read(ids: ArrayLike<number>, out: Float32Array): void {
    const H = this.hidden;
    if (out.length < ids.length * H) throw new Error(`embedding: room for ${out.length / H} rows, ${ids.length} asked`);
    for (let t = 0; t < ids.length; t++) {
      const id = ids[t];
      if (this.bits === 16) this.readInto(new Uint8Array(out.buffer, out.byteOffset + t * H * 4, H * 4), this.m.embedding.offset + id * H * 4);
      else this.dequantizeRow(id, out, t * H);
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private dequantizeRow(id: number, out: Float32Array, at: number): void {
    const { codes, scales, blockSize } = this;
    this.readInto(codes, this.m.embedding.offset + id * this.rowBytes);
    this.readInto(new Uint8Array(scales.buffer), this.m.embedding.scalesOffset! + id * this.blocks * 4);
    if (this.bits === 8) {
      for (let i = 0; i < this.hidden; i++) out[at + i] = (codes[i] - 128) * scales[(i / blockSize) | 0];
      return;
    }
    // Two codes per byte, the even column in the low nibble; zero point 8.
    const half = blockSize / 2;
    for (let b = 0; b < this.blocks; b++) {
      const s = scales[b];
      for (let j = b * half, o = at + b * blockSize; j < (b + 1) * half; j++, o += 2) {
        const byte = codes[j];
        out[o] = ((byte & 15) - 8) * s;
        out[o + 1] = ((byte >> 4) - 8) * s;
      }
    }
  }

  private readInto(target: Uint8Array, position: number): void {
    if (this.fd === null) throw new Error("embedding: the model is closed");
    let done = 0;
    while (done < target.length) {
      const n = readSync(this.fd, target, done, target.length - done, position + done);
      if (n === 0) throw new Error(`${this.file} ends before byte ${position + target.length}: the converted model is incomplete; convert it again`);
      done += n;
    }
  }
}
