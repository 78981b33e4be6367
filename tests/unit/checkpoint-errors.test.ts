/**
 * Bad checkpoints, each made by mutating a freshly generated tiny one, must fail with a clear message that
 * names the problem (issue 2: wrong model_type, missing/extra tensors, wrong shape, truncated file, packed
 * code 3, unknown linear_class).
 */
import { cp, mkdtemp, open, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCheckpoint } from "@/server/checkpoint/checkpoint";
import { CheckpointError } from "@/server/checkpoint/errors";
import { createSafetensorsWriter, openSafetensors, type TensorSpec } from "@/server/checkpoint/safetensors";
import { generateTinyCheckpoint } from "@/server/demo/tiny-checkpoint";

let root: string;
let good: string;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "checkpoint-errors-"));
  good = path.join(root, "good");
  await generateTinyCheckpoint({ outDir: good, seed: 11, overrides: { vocabSize: 512 } });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function copyGood(): Promise<string> {
  const dir = path.join(root, `bad-${counter++}`);
  await cp(good, dir, { recursive: true });
  return dir;
}

async function editConfig(dir: string, edit: (c: Record<string, unknown>) => void): Promise<void> {
  const file = path.join(dir, "config.json");
  const config = JSON.parse(await readFile(file, "utf8"));
  edit(config);
  await writeFile(file, JSON.stringify(config));
}

type Edit = { spec: TensorSpec; data: Uint8Array } | null;

/** Rewrites model.safetensors tensor by tensor; `edit` may drop (null), change or add tensors. */
async function rewriteWeights(dir: string, edit: (spec: TensorSpec, data: Uint8Array) => Edit, add: Edit[] = []): Promise<void> {
  const file = path.join(dir, "model.safetensors");
  const reader = await openSafetensors(file);
  const out: { spec: TensorSpec; data: Uint8Array }[] = [];
  for (const [name, info] of reader.tensors) {
    const kept = edit({ name, dtype: info.dtype, shape: info.shape }, await reader.readBytes(name));
    if (kept) out.push(kept);
  }
  await reader.close();
  for (const a of add) if (a) out.push(a);
  const writer = await createSafetensorsWriter(file, out.map((t) => t.spec));
  for (const t of out) await writer.write(t.spec.name, t.data);
  await writer.close();
}

async function failure(dir: string, step: (c: Awaited<ReturnType<typeof openCheckpoint>>) => Promise<unknown> = async () => {}): Promise<CheckpointError> {
  try {
    const checkpoint = await openCheckpoint(dir);
    try {
      await step(checkpoint);
    } finally {
      await checkpoint.close();
    }
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointError);
    return error as CheckpointError;
  }
  throw new Error(`expected ${dir} to fail`);
}

describe("openCheckpoint", () => {
  it("accepts the good checkpoint and reads layers with the right scale convention", async () => {
    const c = await openCheckpoint(good);
    const layer = await c.readLayer(1);
    expect(layer.q).toMatchObject({ name: "model.layers.1.self_attn.q_proj.weight", outFeatures: 64, inFeatures: 64 });
    expect(layer.q.ternary.length).toBe(64 * 64);
    expect(layer.q.ternary.every((v) => v === -1 || v === 0 || v === 1)).toBe(true);
    expect(layer.down).toMatchObject({ outFeatures: 64, inFeatures: 128 });
    expect(layer.q.effectiveScale).toBe(layer.q.weightScale);
    expect(layer.ffnSubNorm.length).toBe(128);
    expect((await c.readEmbedding()).length).toBe(512 * 64);
    expect((await c.readFinalNorm()).length).toBe(64);
    await c.close();

    const bitlinear = await copyGood();
    await editConfig(bitlinear, (cfg) => ((cfg.quantization_config as Record<string, unknown>).linear_class = "bitlinear"));
    const b = await openCheckpoint(bitlinear);
    const q = (await b.readLayer(1)).q;
    expect(q.effectiveScale).toBeCloseTo(1 / q.weightScale, 12);
    await b.close();
  });

  it("wrong model_type", async () => {
    const dir = await copyGood();
    await editConfig(dir, (c) => (c.model_type = "llama"));
    const e = await failure(dir);
    expect(e.code).toBe("wrong_model_type");
    expect(e.message).toBe(
      'config.json has model_type "llama", but this converter only handles BitNet b1.58 checkpoints (model_type "bitnet").',
    );
  });

  it("unknown linear_class", async () => {
    const dir = await copyGood();
    await editConfig(dir, (c) => ((c.quantization_config as Record<string, unknown>).linear_class = "fancylinear"));
    const e = await failure(dir);
    expect(e.code).toBe("unknown_linear_class");
    expect(e.message).toMatch(/^config\.json: quantization_config\.linear_class is "fancylinear"; only "autobitlinear" and "bitlinear" are supported/);
  });

  it("missing tensor", async () => {
    const dir = await copyGood();
    await rewriteWeights(dir, (spec, data) => (spec.name === "model.layers.1.mlp.down_proj.weight_scale" ? null : { spec, data }));
    const e = await failure(dir);
    expect(e.code).toBe("missing_tensor");
    expect(e.message).toMatch(/^model\.safetensors is missing 1 tensor required by config\.json \(2 layers\): "model\.layers\.1\.mlp\.down_proj\.weight_scale"\./);
  });

  it("missing layer (config says more layers than the file has)", async () => {
    const dir = await copyGood();
    await editConfig(dir, (c) => (c.num_hidden_layers = 3));
    const e = await failure(dir);
    expect(e.code).toBe("missing_tensor");
    expect(e.message).toMatch(/missing 18 tensors .*"model\.layers\.2\.input_layernorm\.weight".* and 13 more/);
  });

  it("extra tensor", async () => {
    const dir = await copyGood();
    const bias = { spec: { name: "model.layers.0.self_attn.q_proj.bias", dtype: "BF16" as const, shape: [64] }, data: new Uint8Array(128) };
    await rewriteWeights(dir, (spec, data) => ({ spec, data }), [bias]);
    const e = await failure(dir);
    expect(e.code).toBe("extra_tensor");
    expect(e.message).toBe('model.safetensors has 1 unexpected tensor for a 2-layer BitNet checkpoint: "model.layers.0.self_attn.q_proj.bias".');
  });

  it("an lm_head.weight (untied head)", async () => {
    const dir = await copyGood();
    const head = { spec: { name: "lm_head.weight", dtype: "BF16" as const, shape: [512, 64] }, data: new Uint8Array(512 * 64 * 2) };
    await rewriteWeights(dir, (spec, data) => ({ spec, data }), [head]);
    const e = await failure(dir);
    expect(e.code).toBe("extra_tensor");
    expect(e.message).toMatch(/contains "lm_head\.weight".*untied heads are unsupported/);
  });

  it("wrong shape", async () => {
    const dir = await copyGood();
    // Same bytes, transposed-looking shape: only the header says what the tensor is.
    await rewriteWeights(dir, (spec, data) =>
      spec.name === "model.layers.0.mlp.down_proj.weight" ? { spec: { ...spec, shape: [32, 64] }, data } : { spec, data },
    );
    const e = await failure(dir);
    expect(e.code).toBe("bad_shape");
    expect(e.message).toBe(
      'model.safetensors: tensor "model.layers.0.mlp.down_proj.weight" has shape [32,64], expected [16,128] for the dimensions in config.json.',
    );
  });

  it("wrong dtype (packed weight stored as F16), while an F32 weight_scale is accepted", async () => {
    const dir = await copyGood();
    await rewriteWeights(dir, (spec, data) => {
      if (spec.name === "model.layers.0.self_attn.k_proj.weight") return { spec: { ...spec, dtype: "F16" }, data: new Uint8Array(data.length * 2) };
      return { spec, data };
    });
    const e = await failure(dir);
    expect(e.code).toBe("bad_dtype");
    expect(e.message).toBe('model.safetensors: tensor "model.layers.0.self_attn.k_proj.weight" is F16, expected U8 (2-bit packed ternary weights).');

    const f32 = await copyGood();
    await rewriteWeights(f32, (spec, data) =>
      spec.name.endsWith("_scale") ? { spec: { ...spec, dtype: "F32", shape: [] }, data: new Uint8Array(Float32Array.of(2).buffer) } : { spec, data },
    );
    const c = await openCheckpoint(f32);
    expect((await c.readLayer(0)).gate.weightScale).toBe(2);
    await c.close();
  });

  it("truncated file", async () => {
    const dir = await copyGood();
    const file = path.join(dir, "model.safetensors");
    const size = (await stat(file)).size;
    await truncate(file, size - 100);
    const e = await failure(dir);
    expect(e.code).toBe("truncated");
    // The last tensor in name order is the last in the file (128 bytes), so it is the one cut short.
    expect(e.message).toMatch(
      new RegExp(`^model\\.safetensors is truncated: tensor "model\\.norm\\.weight" ends at byte ${size} but the file has ${size - 100} bytes`),
    );
  });

  it("packed code 3 (detected when the layer is read)", async () => {
    const dir = await copyGood();
    const file = path.join(dir, "model.safetensors");
    const name = "model.layers.1.mlp.up_proj.weight";
    const reader = await openSafetensors(file);
    const info = reader.tensors.get(name)!;
    await reader.close();
    const fh = await open(file, "r+");
    // Byte [2, 5]: set bit pair 3 to code 3 → weight row 3 × 32 + 2 = 98, column 5.
    const position = info.byteOffset + 2 * 64 + 5;
    const byte = Buffer.alloc(1);
    await fh.read(byte, 0, 1, position);
    byte[0] = (byte[0] & 0x3f) | 0xc0;
    await fh.write(byte, 0, 1, position);
    await fh.close();

    const e = await failure(dir, async (c) => {
      await c.readLayer(0); // layer 0 is intact
      await c.readLayer(1);
    });
    expect(e.code).toBe("invalid_ternary_code");
    expect(e.message).toMatch(/^Tensor "model\.layers\.1\.mlp\.up_proj\.weight" contains the invalid 2-bit code 3 \(byte \[2, 5\] = 0x[c-f][0-9a-f], which would be weight row 98, column 5\)/);
  });

  it("missing files and the -bf16 (online) repo", async () => {
    const empty = path.join(root, "empty");
    await cp(path.join(good, "config.json"), path.join(empty, "config.json"));
    expect((await failure(empty)).message).toMatch(/has no model\.safetensors/);
    expect((await failure(path.join(root, "nowhere"))).code).toBe("not_found");
    const online = await copyGood();
    await editConfig(online, (c) => ((c.quantization_config as Record<string, unknown>).quantization_mode = "online"));
    expect((await failure(online)).message).toMatch(/needs the packed offline checkpoint .* not the -bf16 master-weight repo/);
  });
});
