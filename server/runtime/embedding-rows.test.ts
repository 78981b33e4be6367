/**
 * The runtime's embedding lookup (positioned reads of the LM head's bytes) gives exactly the rows the
 * converter-6 graph gathered with onnxruntime's GatherBlockQuantized, and the checkpoint's rows at 16 bits.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTinyCheckpoint } from "@/server/demo/tiny-checkpoint";
import { convertCheckpoint } from "@/server/convert/convert";
import { GraphBuilder, MS_DOMAIN } from "@/server/convert/onnx/graph-builder";
import { DataType, encodeModel } from "@/server/convert/onnx/onnx-proto";
import { openCheckpoint } from "@/server/checkpoint/checkpoint";
import { readManifest, type BitNetManifest } from "@/server/checkpoint/onnx-manifest";
import { EmbeddingRows } from "./embedding-rows";

const root = mkdtempSync(path.join(os.tmpdir(), "bitnet-embedding-"));
const src = path.join(root, "src");
let checkpointRows: Float32Array;
beforeAll(async () => {
  await generateTinyCheckpoint({ outDir: src, seed: 21, shape: "tiny" });
  const checkpoint = await openCheckpoint(src);
  checkpointRows = await checkpoint.readEmbedding();
  await checkpoint.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// First and last rows, neighbours sharing a page, a repeat, and ids spread over the vocabulary.
const IDS = [0, 1, 2, 128000, 128255, 791, 791, 4062, 65535, 65536, 100000, 127999];

function lookup(dir: string, m: BitNetManifest, ids: number[]): Float32Array {
  const rows = new EmbeddingRows(dir, m);
  try {
    const out = new Float32Array(ids.length * m.hiddenSize);
    rows.read(ids, out);
    return out;
  } finally {
    rows.close();
  }
}

/** The converter-6 graph's lookup: GatherBlockQuantized over the same stored bytes, run in onnxruntime. */
async function gatherBlockQuantized(dir: string, m: BitNetManifest, ids: number[]): Promise<Float32Array> {
  const { vocabSize: V, hiddenSize: H, embeddingBits: bits, embeddingBlockSize: bs } = m;
  const data = readFileSync(path.join(dir, m.embedding.file));
  const codes = data.subarray(m.embedding.offset, m.embedding.offset + (V * H * bits) / 8);
  const scales = data.subarray(m.embedding.scalesOffset!, m.embedding.scalesOffset! + (V * H * 4) / bs);
  const g = new GraphBuilder();
  const input = g.input("ids", DataType.INT64, [1, "S"]);
  const table = g.weight("emb", DataType.UINT8, [V, (H * bits) / 8], codes);
  const tableScales = g.weight("emb_scales", DataType.FLOAT, [V, H / bs], scales);
  g.node("GatherBlockQuantized", [table, input, tableScales], { name: "gather", domain: MS_DOMAIN, outputs: ["rows"], exactOutputs: true, attributes: { bits, block_size: bs, gather_axis: 0, quantize_axis: 1 } });
  g.output("rows", DataType.FLOAT, [1, "S", H]);
  const session = await ort.InferenceSession.create(encodeModel(g.toModel({ graphName: "t", producer: { name: "test", version: "0" } })), { intraOpNumThreads: 1 });
  try {
    const out = await session.run({ ids: new ort.Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]) });
    return out.rows.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe("EmbeddingRows", () => {
  for (const bits of [4, 8] as const) {
    it(`${bits}-bit rows equal GatherBlockQuantized's, bit for bit`, async () => {
      const out = path.join(root, `e${bits}`);
      await convertCheckpoint({ modelDir: src, outDir: out, embeddingBits: bits });
      const m = readManifest(out);
      const ours = lookup(out, m, IDS);
      const theirs = await gatherBlockQuantized(out, m, IDS);
      expect(ours.length).toBe(IDS.length * m.hiddenSize);
      expect(Array.from(ours)).toEqual(Array.from(theirs));
      // And they are the checkpoint's rows within half a quantization step (not, say, a neighbour's row).
      const qmax = (1 << (bits - 1)) - 1;
      IDS.forEach((id, t) => {
        const row = checkpointRows.subarray(id * m.hiddenSize, (id + 1) * m.hiddenSize);
        const amax = row.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
        for (let i = 0; i < m.hiddenSize; i++) expect(Math.abs(ours[t * m.hiddenSize + i] - row[i])).toBeLessThanOrEqual(amax / qmax / 2 + 1e-6);
      });
    });
  }

  it("16-bit rows are the checkpoint's float32 rows", async () => {
    const out = path.join(root, "e16");
    await convertCheckpoint({ modelDir: src, outDir: out, embeddingBits: 16 });
    const m = readManifest(out);
    const ours = lookup(out, m, IDS);
    IDS.forEach((id, t) => expect(Array.from(ours.subarray(t * m.hiddenSize, (t + 1) * m.hiddenSize))).toEqual(Array.from(checkpointRows.subarray(id * m.hiddenSize, (id + 1) * m.hiddenSize))));
  });

  it("names the file when it is cut short", async () => {
    const out = path.join(root, "e4");
    const m = readManifest(out);
    const rows = new EmbeddingRows(out, { ...m, embedding: { ...m.embedding, offset: 2 ** 40 } });
    try {
      expect(() => rows.read([5], new Float32Array(m.hiddenSize))).toThrow(/model\.onnx\.data ends before byte .*convert it again/);
    } finally {
      rows.close();
    }
  });
});
