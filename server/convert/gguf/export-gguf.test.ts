/** The exported file parsed back: header, llama.cpp's `bitnet` keys and tensor names, and the tensor bytes. */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCheckpoint } from "@/server/checkpoint/checkpoint";
import { f16ToFloat32 } from "@/server/checkpoint/bf16";
import { generateTinyCheckpoint } from "@/server/demo/tiny-checkpoint";
import { exportGguf } from "./export-gguf";
import { readGguf, type GgufFile } from "./gguf-reader";
import { dequantizeQ8_0 } from "./quant-q8";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "gguf-export-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function exportShape(name: string, overrides: Parameters<typeof generateTinyCheckpoint>[0]["overrides"], embeddingType?: "q6_k" | "q8_0") {
  const dir = path.join(tmp, name);
  await generateTinyCheckpoint({ outDir: dir, seed: 5, shape: "tiny", overrides, linearClass: name.includes("bitlinear") ? "bitlinear" : "autobitlinear" });
  const result = await exportGguf({ modelDir: dir, outFile: path.join(tmp, `${name}.gguf`), embeddingType });
  return { dir, result, file: await readGguf(result.outFile) };
}

function tensor(file: GgufFile, name: string) {
  const t = file.tensors.find((x) => x.name === name);
  if (!t) throw new Error(`no tensor ${name}`);
  return t;
}

describe("exportGguf", () => {
  it("writes TQ2_0 projections, per-tensor F32 scales, a Q6_K embedding and llama.cpp's bitnet keys (256-wide shape)", async () => {
    const { dir, result, file } = await exportShape("w256", { hiddenSize: 256, intermediateSize: 512, numHeads: 4, numKvHeads: 2, vocabSize: 1024 });
    expect(result).toMatchObject({ linearType: "TQ2_0", embeddingType: "q6_k", tensors: 2 + 2 * 18 });
    expect(file.version).toBe(3);
    const m = file.metadata;
    expect(m.get("general.architecture")).toBe("bitnet");
    expect(m.get("general.file_type")).toBe(37);
    expect(m.get("bitnet.embedding_length")).toBe(256);
    expect(m.get("bitnet.feed_forward_length")).toBe(512);
    expect(m.get("bitnet.block_count")).toBe(2);
    expect(m.get("bitnet.attention.head_count")).toBe(4);
    expect(m.get("bitnet.attention.head_count_kv")).toBe(2);
    expect(m.get("bitnet.rope.dimension_count")).toBe(64);
    expect(m.get("bitnet.rope.freq_base")).toBe(500000);
    expect(m.get("bitnet.attention.layer_norm_rms_epsilon")).toBeCloseTo(1e-5, 10);
    expect(m.get("bitnet.context_length")).toBe(4096);
    expect(m.get("tokenizer.ggml.model")).toBe("gpt2");
    expect(m.get("tokenizer.ggml.pre")).toBe("llama-bpe");
    expect((m.get("tokenizer.ggml.tokens") as string[]).length).toBe(1024);
    expect((m.get("tokenizer.ggml.token_type") as number[]).length).toBe(1024);
    // bos 128000 lies outside a 1024-token vocabulary: left out rather than pointing past the embedding
    expect(m.has("tokenizer.ggml.bos_token_id")).toBe(false);

    expect(tensor(file, "token_embd.weight")).toMatchObject({ type: "Q6_K", dims: [256, 1024] });
    expect(tensor(file, "blk.1.attn_q.weight")).toMatchObject({ type: "TQ2_0", dims: [256, 256] });
    expect(tensor(file, "blk.1.attn_k.weight")).toMatchObject({ type: "TQ2_0", dims: [256, 128] });
    expect(tensor(file, "blk.1.attn_output.weight")).toMatchObject({ type: "TQ2_0", dims: [256, 256] });
    expect(tensor(file, "blk.1.ffn_down.weight")).toMatchObject({ type: "TQ2_0", dims: [512, 256] });
    expect(tensor(file, "blk.1.ffn_sub_norm.weight")).toMatchObject({ type: "F32", dims: [512] });
    expect(file.tensors.some((t) => t.name === "output.weight")).toBe(false);
    for (const t of file.tensors) expect(t.offset % 32).toBe(0);

    const checkpoint = await openCheckpoint(dir);
    try {
      const layer = await checkpoint.readLayer(1);
      const scale = new Float32Array((await file.readTensor("blk.1.ffn_up.scale")).buffer.slice(0));
      expect(scale[0]).toBe(Math.fround(layer.up.effectiveScale));
      // first TQ2_0 block of ffn_down row 0: value 32n + m in bits 2n of byte m
      const down = await file.readTensor("blk.1.ffn_down.weight");
      for (let m = 0; m < 32; m++) {
        for (let n = 0; n < 4; n++) expect(((down[m] >> (2 * n)) & 3) - 1).toBe(layer.down.ternary[32 * n + m]);
      }
      const norm = new Float32Array((await file.readTensor("blk.1.attn_sub_norm.weight")).buffer.slice(0));
      expect(Array.from(norm)).toEqual(Array.from(layer.attnSubNorm));
    } finally {
      await checkpoint.close();
    }
  });

  it("falls back to F16 ternary projections and a Q8_0 embedding when rows are not whole 256-blocks; bitlinear scales are inverted", async () => {
    const { dir, result, file } = await exportShape("w64-bitlinear", { vocabSize: 512 });
    expect(result).toMatchObject({ linearType: "F16", embeddingType: "q8_0" });
    expect(file.metadata.has("general.file_type")).toBe(false);
    expect(tensor(file, "token_embd.weight")).toMatchObject({ type: "Q8_0", dims: [64, 512] });
    expect(tensor(file, "blk.0.attn_v.weight")).toMatchObject({ type: "F16", dims: [64, 32] });
    const checkpoint = await openCheckpoint(dir);
    try {
      const layer = await checkpoint.readLayer(0);
      const v = f16ToFloat32(await file.readTensor("blk.0.attn_v.weight"));
      expect(Array.from(v)).toEqual(Array.from(layer.v.ternary));
      const scale = new Float32Array((await file.readTensor("blk.0.attn_v.scale")).buffer.slice(0))[0];
      expect(scale).toBeCloseTo(1 / layer.v.weightScale, 6);
      const embedding = await checkpoint.readEmbedding();
      const back = dequantizeQ8_0(await file.readTensor("token_embd.weight"), embedding.length);
      for (let i = 0; i < 64 * 4; i++) expect(Math.abs(back[i] - embedding[i])).toBeLessThan(0.01);
    } finally {
      await checkpoint.close();
    }
  });
});
