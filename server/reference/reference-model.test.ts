import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCheckpoint, type LayerWeights, type TernaryLinear } from "@/server/checkpoint/checkpoint";
import { generateTinyCheckpoint } from "@/server/demo/tiny-checkpoint";
import { loadReferenceModel, type ReferenceModel } from "./reference-model";
import { createReferenceRunner } from "./reference-runner";

let root: string;
let dir: string;
let model: ReferenceModel;
const IDS = [128000, 9906, 1917, 0, 358, 1097, 264, 1296, 13, 128009, 72803, 25, 220];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "reference-model-"));
  dir = path.join(root, "tiny");
  await generateTinyCheckpoint({ outDir: dir, seed: 7, shape: "tiny" });
  model = await loadReferenceModel(dir);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The runner returns float32 logits: compare with the float64 forward rounded the same way. */
const f32 = (x: Float64Array) => Float32Array.from(x);

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/**
 * The first position computed a second way, from the dequantized weights: with one token, attention is the
 * value vector itself (RoPE does not touch values), and BitLinear is (q/s) @ (ternary * effective scale)^T.
 */
function naiveFirstLogits(layers: LayerWeights[], embedding: Float32Array, finalNorm: Float32Array, id: number, H: number, eps: number, nH: number, nKV: number, D: number): Float64Array {
  const rms = (x: number[], w: Float32Array) => {
    const r = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length + eps);
    return x.map((v, i) => (v / r) * w[i]);
  };
  const lin = (x: number[], w: TernaryLinear) => {
    const a = Math.max(1e-5, ...x.map(Math.abs));
    const deq = x.map((v) => {
      const t = v * (127 / a), f = Math.floor(t);
      const r = t - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(t);
      return r / (127 / a);
    });
    return Array.from({ length: w.outFeatures }, (_, o) => deq.reduce((s, v, i) => s + v * w.ternary[o * w.inFeatures + i] * w.effectiveScale, 0));
  };
  let h = Array.from(embedding.subarray(id * H, (id + 1) * H));
  for (const w of layers) {
    const v = lin(rms(h, w.inputNorm), w.v);
    const attn = Array.from({ length: nH * D }, (_, i) => v[Math.floor(Math.floor(i / D) / (nH / nKV)) * D + (i % D)]);
    const o = lin(rms(attn, w.attnSubNorm), w.o);
    h = h.map((x, i) => x + o[i]);
    const x2 = rms(h, w.postAttentionNorm);
    const g = lin(x2, w.gate), u = lin(x2, w.up);
    const down = lin(rms(g.map((gi, i) => Math.max(gi, 0) ** 2 * u[i]), w.ffnSubNorm), w.down);
    h = h.map((x, i) => x + down[i]);
  }
  const hn = rms(h, finalNorm);
  const V = embedding.length / H;
  return Float64Array.from({ length: V }, (_, t) => hn.reduce((s, x, i) => s + x * embedding[t * H + i], 0));
}

describe("reference forward pass on a tiny checkpoint", () => {
  it("matches a naive dequantized computation at the first position", async () => {
    const ckpt = await openCheckpoint(dir);
    const c = ckpt.config;
    const layers = [];
    for (let i = 0; i < c.numLayers; i++) layers.push(await ckpt.readLayer(i));
    const naive = naiveFirstLogits(layers, await ckpt.readEmbedding(), await ckpt.readFinalNorm(), IDS[1], c.hiddenSize, c.rmsNormEps, c.numHeads, c.numKvHeads, c.headDim);
    await ckpt.close();
    const [first] = model.forward([IDS[1]]);
    expect(maxAbsDiff(first, naive)).toBeLessThan(1e-9);
  });

  it("returns finite, position-dependent logits over the whole vocabulary", () => {
    const logits = model.forward(IDS);
    expect(logits).toHaveLength(IDS.length);
    for (const row of logits) {
      expect(row).toHaveLength(128256);
      expect(row.every(Number.isFinite)).toBe(true);
    }
    expect(maxAbsDiff(logits[3], logits[4])).toBeGreaterThan(1e-3);
  });

  it("is causal: later tokens do not change earlier logits", () => {
    const a = model.forward(IDS);
    const b = model.forward([...IDS.slice(0, 6), 500, 600, 700]);
    for (let t = 0; t < 6; t++) expect(maxAbsDiff(a[t], b[t])).toBe(0);
    expect(maxAbsDiff(a[6], b[6])).toBeGreaterThan(1e-3);
  });

  it("rejects token ids outside the vocabulary", () => {
    expect(() => model.forward([1, 128256])).toThrow(/outside the vocabulary/);
  });
});

describe("reference runner (float64 KV cache)", () => {
  it("float64 chunked runs through the cache equal the full-sequence forward to 1e-9", () => {
    const full = model.forward(IDS);
    for (const sizes of [Array(IDS.length).fill(1), [5, 1, 4, 3], [2, 11]]) {
      const cache = model.newCache();
      let at = 0;
      for (const size of sizes) {
        const hidden = model.run(IDS.slice(at, at + size), cache);
        for (let r = 0; r < size; r++) expect(maxAbsDiff(model.logits(hidden, r), full[at + r])).toBeLessThan(1e-9);
        at += size;
      }
      expect(cache.length).toBe(IDS.length);
    }
  });

  it("token by token equals the full-sequence forward", async () => {
    const full = model.forward(IDS);
    const runner = await createReferenceRunner(dir);
    for (let t = 0; t < IDS.length; t++) {
      const logits = await runner.forward([IDS[t]]);
      expect(runner.length).toBe(t + 1);
      expect(maxAbsDiff(logits, f32(full[t]))).toBe(0);
    }
  });

  it("in chunks with keepLogits equals the full-sequence forward", async () => {
    const full = model.forward(IDS);
    const runner = await createReferenceRunner(dir);
    let at = 0;
    for (const size of [5, 1, 4, 3]) {
      const logits = await runner.forward(IDS.slice(at, at + size), { keepLogits: size });
      expect(logits).toHaveLength(size * 128256);
      for (let r = 0; r < size; r++) expect(maxAbsDiff(logits.subarray(r * 128256, (r + 1) * 128256), f32(full[at + r]))).toBe(0);
      at += size;
    }
    expect(runner.length).toBe(IDS.length);
  });

  it("reuses a truncated prefix for a different continuation", async () => {
    const other = [...IDS.slice(0, 7), 4438, 527, 499];
    const full = model.forward(other);
    const runner = await createReferenceRunner(dir);
    await runner.forward(IDS);
    runner.truncate(7);
    expect(runner.length).toBe(7);
    const logits = await runner.forward(other.slice(7), { keepLogits: 3 });
    for (let r = 0; r < 3; r++) expect(maxAbsDiff(logits.subarray(r * 128256, (r + 1) * 128256), f32(full[7 + r]))).toBe(0);
    runner.truncate(0);
    expect(maxAbsDiff(await runner.forward(other.slice(0, 2)), f32(full[1]))).toBe(0);
  });

  it("reports model info and checks its arguments like the ONNX runner", async () => {
    const runner = await createReferenceRunner(dir, { maxPositions: 8 });
    expect(runner.info).toEqual({ vocabSize: 128256, maxPositions: 8, numLayers: 2, hiddenSize: 64, bosTokenId: 128000, eosTokenIds: [128001, 128009] });
    await expect(runner.forward([])).rejects.toThrow(/no tokens/);
    await expect(runner.forward([1, 2], { keepLogits: 3 })).rejects.toThrow(/keepLogits/);
    await expect(runner.forward(Array(9).fill(1))).rejects.toThrow(/exceed/);
    expect(runner.length).toBe(0);
    await runner.forward(Array(8).fill(1));
    await expect(runner.forward([1])).rejects.toThrow(/exceed/);
    expect(() => runner.truncate(9)).toThrow(/truncate/);
    await runner.dispose();
    await expect(runner.forward([1])).rejects.toThrow(/disposed/);
  });
});
