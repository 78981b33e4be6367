import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCheckpoint } from "@/server/checkpoint/checkpoint";
import { createRng } from "@/lib/seeded-rng";
import { openSafetensors } from "@/server/checkpoint/safetensors";
import { generateTinyCheckpoint } from "./tiny-checkpoint";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "tiny-ckpt-test-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("rng", () => {
  it("is deterministic per (seed, stream) and roughly uniform / normal", () => {
    const a = createRng(7, "x"), b = createRng(7, "x"), c = createRng(7, "y"), d = createRng(8, "x");
    const seq = (r: ReturnType<typeof createRng>) => Array.from({ length: 8 }, () => r.nextU32());
    const sa = seq(a);
    expect(seq(b)).toEqual(sa);
    expect(seq(c)).not.toEqual(sa);
    expect(seq(d)).not.toEqual(sa);
    const bulk = new Uint32Array(8);
    createRng(7, "x").fillU32(bulk);
    expect(Array.from(bulk)).toEqual(sa);
    const normals = new Float32Array(100_001);
    createRng(2).fillNormal(normals, 0, 1);
    const m = normals.reduce((s, x) => s + x, 0) / normals.length;
    const v = normals.reduce((s, x) => s + x * x, 0) / normals.length;
    expect(Math.abs(m)).toBeLessThan(0.02);
    expect(Math.abs(v - 1)).toBeLessThan(0.03);
    expect(normals[100_000]).not.toBe(0);
    const r = createRng(1);
    let sum = 0, sq = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const z = r.normal(0, 1);
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.02);
  });
});

describe("generateTinyCheckpoint", () => {
  it("looping: the same weights with every weight_scale a thousandth of the usual", async () => {
    const usual = await generateTinyCheckpoint({ outDir: path.join(root, "usual"), seed: 3 });
    const looping = await generateTinyCheckpoint({ outDir: path.join(root, "looping"), seed: 3, looping: true });
    const a = await openSafetensors(path.join(usual.dir, "model.safetensors"));
    const b = await openSafetensors(path.join(looping.dir, "model.safetensors"));
    try {
      const scales = [...a.tensors.keys()].filter((name) => name.endsWith("weight_scale"));
      expect(scales.length).toBe(14);
      for (const name of scales) {
        const [x] = await a.readFloat32(name), [y] = await b.readFloat32(name);
        expect(x).toBeGreaterThanOrEqual(1);
        expect(Math.abs(y! / x! / 1e-3 - 1)).toBeLessThan(0.01); // bf16 rounding of both
      }
      for (const name of ["model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "model.norm.weight"]) {
        expect(Buffer.from(await b.readBytes(name)).equals(Buffer.from(await a.readBytes(name)))).toBe(true);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("writes the hub layout: files, config, exact tensor names/dtypes/shapes", async () => {
    const dir = path.join(root, "tiny");
    await generateTinyCheckpoint({ outDir: dir, seed: 3 });
    const files = await readdir(dir);
    expect(files).toEqual(expect.arrayContaining(["config.json", "generation_config.json", "model.safetensors"]));
    expect(files).toEqual(expect.arrayContaining(["tokenizer.json", "tokenizer_config.json"]));
    expect(files.some((f) => f.endsWith(".partial"))).toBe(false);

    const config = JSON.parse(await readFile(path.join(dir, "config.json"), "utf8"));
    expect(config).toMatchObject({
      architectures: ["BitNetForCausalLM"],
      model_type: "bitnet",
      hidden_size: 64,
      intermediate_size: 128,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      vocab_size: 128256,
      max_position_embeddings: 4096,
      hidden_act: "relu2",
      tie_word_embeddings: true,
      torch_dtype: "bfloat16",
      quantization_config: { quant_method: "bitnet", linear_class: "autobitlinear", quantization_mode: "offline" },
    });
    expect(config).not.toHaveProperty("head_dim");
    const gen = JSON.parse(await readFile(path.join(dir, "generation_config.json"), "utf8"));
    expect(gen).toMatchObject({ bos_token_id: 128000, eos_token_id: [128001, 128009] });

    const r = await openSafetensors(path.join(dir, "model.safetensors"));
    expect(r.metadata).toEqual({ format: "pt" });
    expect(r.tensors.size).toBe(2 + 2 * 18);
    expect(r.tensors.has("lm_head.weight")).toBe(false);
    const shapeOf = (name: string) => [r.tensors.get(name)?.dtype, r.tensors.get(name)?.shape];
    // head_dim = 64 / 4 = 16; kv = 2 × 16 = 32; packed rows = out / 4.
    expect(shapeOf("model.embed_tokens.weight")).toEqual(["BF16", [128256, 64]]);
    expect(shapeOf("model.norm.weight")).toEqual(["BF16", [64]]);
    expect(shapeOf("model.layers.1.input_layernorm.weight")).toEqual(["BF16", [64]]);
    expect(shapeOf("model.layers.1.post_attention_layernorm.weight")).toEqual(["BF16", [64]]);
    expect(shapeOf("model.layers.1.self_attn.attn_sub_norm.weight")).toEqual(["BF16", [64]]);
    expect(shapeOf("model.layers.1.mlp.ffn_sub_norm.weight")).toEqual(["BF16", [128]]);
    expect(shapeOf("model.layers.1.self_attn.q_proj.weight")).toEqual(["U8", [16, 64]]);
    expect(shapeOf("model.layers.1.self_attn.k_proj.weight")).toEqual(["U8", [8, 64]]);
    expect(shapeOf("model.layers.1.self_attn.v_proj.weight")).toEqual(["U8", [8, 64]]);
    expect(shapeOf("model.layers.1.self_attn.o_proj.weight")).toEqual(["U8", [16, 64]]);
    expect(shapeOf("model.layers.1.mlp.gate_proj.weight")).toEqual(["U8", [32, 64]]);
    expect(shapeOf("model.layers.1.mlp.up_proj.weight")).toEqual(["U8", [32, 64]]);
    expect(shapeOf("model.layers.1.mlp.down_proj.weight")).toEqual(["U8", [16, 128]]);
    expect(shapeOf("model.layers.0.mlp.down_proj.weight_scale")).toEqual(["BF16", [1]]);
    const names = [...r.tensors.keys()];
    expect(names).toEqual([...names].sort());

    // Genuinely ternary: codes 0..2 only, each value about a third of the time; inits in their ranges.
    const counts = [0, 0, 0, 0];
    for (const [name, info] of r.tensors) {
      if (info.dtype === "U8") for (const b of await r.readBytes(name)) for (let i = 0; i < 8; i += 2) counts[(b >> i) & 3]++;
    }
    const total = counts[0] + counts[1] + counts[2];
    expect(counts[3]).toBe(0);
    for (const c of counts.slice(0, 3)) expect(Math.abs(c / total - 1 / 3)).toBeLessThan(0.02);
    const norm = await r.readFloat32("model.layers.0.mlp.ffn_sub_norm.weight");
    expect(Math.min(...norm)).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...norm)).toBeLessThanOrEqual(1.5);
    const scale = (await r.readFloat32("model.layers.0.self_attn.q_proj.weight_scale"))[0];
    expect(scale).toBeGreaterThanOrEqual(1);
    expect(scale).toBeLessThanOrEqual(3);
    const emb = await r.readFloat32("model.embed_tokens.weight");
    const std = Math.sqrt(emb.reduce((s, x) => s + x * x, 0) / emb.length);
    expect(std).toBeGreaterThan(0.0195);
    expect(std).toBeLessThan(0.0205);
    await r.close();
  });

  it("is deterministic per seed", async () => {
    const opts = { overrides: { vocabSize: 512 } };
    await generateTinyCheckpoint({ outDir: path.join(root, "s5a"), seed: 5, ...opts });
    await generateTinyCheckpoint({ outDir: path.join(root, "s5b"), seed: 5, ...opts });
    await generateTinyCheckpoint({ outDir: path.join(root, "s6"), seed: 6, ...opts });
    const read = (d: string) => readFile(path.join(root, d, "model.safetensors"));
    const [a, b, c] = await Promise.all([read("s5a"), read("s5b"), read("s6")]);
    expect(a.equals(b)).toBe(true);
    expect(a.length).toBe(c.length);
    expect(a.equals(c)).toBe(false);
  });

  it("honours overrides and the linear class", async () => {
    const dir = path.join(root, "wide");
    await generateTinyCheckpoint({
      outDir: dir,
      seed: 2,
      linearClass: "bitlinear",
      overrides: { hiddenSize: 96, numLayers: 3, numHeads: 6, numKvHeads: 3, vocabSize: 1000 },
    });
    const ckpt = await openCheckpoint(dir);
    expect(ckpt.config).toMatchObject({ hiddenSize: 96, numLayers: 3, numHeads: 6, numKvHeads: 3, headDim: 16, linearClass: "bitlinear" });
    expect(ckpt.reader.tensors.size).toBe(2 + 3 * 18);
    expect(ckpt.reader.tensors.get("model.layers.2.self_attn.k_proj.weight")?.shape).toEqual([12, 96]);
    await ckpt.close();
  });

  it("leaves no folder behind when interrupted, and refuses to overwrite a non-checkpoint folder", async () => {
    const dir = path.join(root, "interrupted");
    const run = generateTinyCheckpoint({
      outDir: dir,
      overrides: { vocabSize: 512 },
      onProgress: () => {
        throw new Error("interrupted");
      },
    });
    await expect(run).rejects.toThrow("interrupted");
    expect((await readdir(root)).filter((f) => f.startsWith("interrupted"))).toEqual([]);

    const controller = new AbortController();
    controller.abort(new Error("stopped by user"));
    await expect(generateTinyCheckpoint({ outDir: dir, signal: controller.signal })).rejects.toThrow("stopped by user");
    expect((await readdir(root)).filter((f) => f.startsWith("interrupted"))).toEqual([]);

    // A temp folder left by a killed run (its pid no longer exists) is cleaned up by the next run.
    await mkdir(path.join(root, "interrupted.tmp-999999999-1"));
    await generateTinyCheckpoint({ outDir: dir, overrides: { vocabSize: 512 } });
    expect((await readdir(root)).filter((f) => f.startsWith("interrupted"))).toEqual(["interrupted"]);

    const precious = path.join(root, "precious");
    await generateTinyCheckpoint({ outDir: path.join(precious, "sub"), overrides: { vocabSize: 512 } });
    await expect(generateTinyCheckpoint({ outDir: precious })).rejects.toThrow(/is not a BitNet checkpoint folder; refusing to overwrite/);
  });
});
