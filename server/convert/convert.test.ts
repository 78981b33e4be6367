/**
 * The convert-once cache and atomic output: a second ensureConverted reuses the folder, a changed
 * source reconverts, other converter settings get their own folder, a converted folder is used as is, and
 * a failing conversion leaves nothing behind.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTinyCheckpoint } from "@/server/demo/tiny-checkpoint";
import { convertCheckpoint, ensureConverted } from "./convert";
import { CONVERTER_VERSION } from "./version";
import ort from "onnxruntime-node";
import { graphName, MANIFEST_FILE, readManifest } from "@/server/checkpoint/onnx-manifest";
import { CheckpointError } from "@/server/checkpoint/errors";
import { createReferenceRunner } from "@/server/reference/reference-runner";

const root = mkdtempSync(path.join(os.tmpdir(), "bitnet-convert-"));
const src = path.join(root, "src");
const cache = path.join(root, "cache");
beforeAll(() => generateTinyCheckpoint({ outDir: src, seed: 5, shape: "tiny" }));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("convertCheckpoint / ensureConverted", () => {
  it("writes a complete model folder with a manifest", async () => {
    const out = path.join(root, "out");
    const result = await convertCheckpoint({ modelDir: src, outDir: out, embeddingBits: 8 });
    for (const f of ["model.onnx", "model.onnx.data", "config.json", "generation_config.json", MANIFEST_FILE]) {
      expect(existsSync(path.join(out, f)), f).toBe(true);
    }
    const m = readManifest(out);
    expect(m).toMatchObject({ embeddingBits: 8, numLayers: 2, hiddenSize: 64, vocabSize: 128256, maxPositions: 4096, bosTokenId: 128000 });
    expect(m.eosTokenIds).toContain(128001);
    // One stop-token rule: the converter records what the reference runner computes from the same folder.
    expect(m.eosTokenIds).toEqual((await createReferenceRunner(src)).info.eosTokenIds);
    expect(m.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.bytes).toBe(["model.onnx", "model.onnx.data", "model.ternary.onnx"].reduce((sum, f) => sum + statSync(path.join(out, f)).size, 0));
    // The ternary kernel's graph (converter 10) reads the same weights: no second data file.
    expect(result.manifest.ternaryGraph).toBe("model.ternary.onnx");
    expect(readdirSync(root).filter((n) => n.includes(".tmp-"))).toEqual([]);

    // The manifest's graph names are exactly the graph's inputs and outputs (the runtime feeds by them).
    const g = m.graph;
    const perLayer = (template: string) => Array.from({ length: m.numLayers }, (_, layer) => graphName(template, { layer }));
    const session = await ort.InferenceSession.create(path.join(out, "model.onnx"));
    try {
      expect([...session.inputNames].sort()).toEqual(
        [g.inputsEmbeds, g.positionIds, g.causalMask, g.logitsIndex, g.pastMask, g.rowGather, g.tokenGather, ...perLayer(g.pastKey), ...perLayer(g.pastValue)].sort(),
      );
      expect([...session.outputNames].sort()).toEqual([g.logits, ...perLayer(g.newKey), ...perLayer(g.newValue)].sort());
    } finally {
      await session.release();
    }
  });

  it("says to reconvert a folder made by an older converter (its graph has other inputs)", () => {
    const dir = path.join(root, "old-manifest");
    mkdirSync(dir);
    const current = readManifest(path.join(root, "out"));
    const { graph, ...old } = current;
    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify({ ...old, converterVersion: "1" }));
    expect(() => readManifest(dir)).toThrow(/another converter version \(fields: graph\).*bitnet convert/);
    const { pastMask: _, ...perHeadGraph } = graph;
    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify({ ...old, converterVersion: "2", graph: { ...perHeadGraph, pastKey: "past_key.{layer}.{head}" } }));
    expect(() => readManifest(dir)).toThrow(/another converter version \(fields: graph.pastMask\)/);
    // Converter 5 stored past values [R, kvHeads, C, D]; the runtime now feeds them transposed.
    const { pastValueLayout: __, ...untransposed } = graph;
    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify({ ...old, converterVersion: "5", graph: untransposed }));
    expect(() => readManifest(dir)).toThrow(/another converter version \(fields: graph.pastValueLayout\)/);
    // Converter 6 gathered the embedding inside the graph from token ids; the runtime now feeds the rows.
    const { inputsEmbeds: ___, ...withIds } = graph;
    const { embedding: ____, ...noLayout } = old;
    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify({ ...noLayout, converterVersion: "6", graph: { ...withIds, inputIds: "input_ids" } }));
    expect(() => readManifest(dir)).toThrow(/another converter version \(fields: embedding, graph.inputsEmbeds\)/);
  });

  it("converts once, then reuses the cache until the source changes", async () => {
    const first = await ensureConverted(src, cache);
    const created = readManifest(first).createdAt;
    expect(await ensureConverted(src, cache)).toBe(first);
    expect(readManifest(first).createdAt).toBe(created);

    // Same bytes, new mtime: checksum says unchanged, no reconversion.
    const configPath = path.join(src, "config.json");
    const config = readFileSync(configPath, "utf8");
    writeFileSync(configPath, config);
    await ensureConverted(src, cache);
    expect(readManifest(first).createdAt).toBe(created);

    // Different content: reconverted, with the new checksum.
    writeFileSync(configPath, config.replace(/\n$/, "\n\n"));
    const again = await ensureConverted(src, cache);
    expect(again).toBe(first);
    expect(readManifest(again).createdAt).not.toBe(created);
  });

  it("uses a converted folder as it is", async () => {
    const converted = await ensureConverted(src, cache);
    expect(await ensureConverted(converted, cache)).toBe(converted);
  });

  it("keeps exact and fast activation quantization apart (own cache folders, refused on a converted folder)", async () => {
    const exact = await ensureConverted(src, cache, { actQuant: "exact" });
    const fast = await ensureConverted(src, cache);
    expect(fast).not.toBe(exact);
    expect(readManifest(exact).actQuant).toBe("exact");
    expect(readManifest(fast).actQuant).toBe("fast");
    expect(await ensureConverted(fast, cache, { actQuant: "fast" })).toBe(fast);
    await expect(ensureConverted(exact, cache, { actQuant: "fast" })).rejects.toThrow(/already converted with --act-quant exact.*--act-quant fast/);
  });

  it("keys the cache on every converter setting and the converter version: other options, other folder", async () => {
    const byDefault = await ensureConverted(src, cache);
    const float32 = await ensureConverted(src, cache, { kvDtype: "float32" });
    expect(float32).not.toBe(byDefault);
    expect(readManifest(float32).kvDtype).toBe("float32");
    expect(readManifest(byDefault).kvDtype).toBe("float16");
    const unfused = await ensureConverted(src, cache, { fuseProjections: false, blockSize: 64, lmHeadAccuracyLevel: 0 });
    expect(new Set([byDefault, float32, unfused]).size).toBe(3);
    expect(readManifest(unfused)).toMatchObject({ fuseProjections: false, blockSize: 64, accuracyLevel: 4, lmHeadAccuracyLevel: 0 });
    // Asking for the defaults by name is the same conversion as asking for nothing.
    expect(await ensureConverted(src, cache, { kvDtype: "float16", blockSize: 128, fuseProjections: true })).toBe(byDefault);
    expect(path.basename(byDefault)).toMatch(new RegExp(`-v${CONVERTER_VERSION}$`));

    // A converted folder is used as it is only if it was converted with what is asked for.
    await expect(ensureConverted(byDefault, cache, { kvDtype: "float32" })).rejects.toThrow(/already converted with --kv-dtype float16.*--kv-dtype float32/);
    await expect(ensureConverted(float32, cache, { blockSize: 64 })).rejects.toThrow(/already converted with --block-size 128/);
  });

  it("a new converter version's folder replaces the older versions' of the same source and settings", async () => {
    const current = await ensureConverted(src, cache, { embeddingBits: 16 });
    const stem = path.basename(current).replace(/-v[^-]+$/, "");
    const older = path.join(cache, "onnx", `${stem}-v1`);
    const otherSettings = await ensureConverted(src, cache, { embeddingBits: 8 });
    renameSync(current, older);
    expect(await ensureConverted(src, cache, { embeddingBits: 16 })).toBe(current);
    expect(existsSync(older)).toBe(false);
    expect(existsSync(otherSettings)).toBe(true);
  });

  it("adopts a folder named by the earlier cache (source and act-quant only) when its settings are the ones asked for", async () => {
    const current = await ensureConverted(src, cache, { embeddingBits: 16, actQuant: "exact" });
    const pathKey = path.basename(current).split("-").at(-3);
    const legacy = path.join(cache, "onnx", `${path.basename(src)}-${pathKey}-e16-exact`);
    renameSync(current, legacy);
    const created = readManifest(legacy).createdAt;
    expect(await ensureConverted(src, cache, { embeddingBits: 16, actQuant: "exact" })).toBe(current);
    expect(readManifest(current).createdAt).toBe(created);
    expect(existsSync(legacy)).toBe(false);
    // The old name does not say the KV type: a float32 request does not take the float16 folder.
    renameSync(current, legacy);
    const float32 = await ensureConverted(src, cache, { embeddingBits: 16, actQuant: "exact", kvDtype: "float32" });
    expect(readManifest(float32).kvDtype).toBe("float32");
    expect(existsSync(legacy)).toBe(true);
  });

  it("propagates checkpoint errors and leaves no output folder", async () => {
    const bad = path.join(root, "bad");
    await generateTinyCheckpoint({ outDir: bad, seed: 6, shape: "tiny" });
    const weights = path.join(bad, "model.safetensors");
    writeFileSync(weights, readFileSync(weights).subarray(0, statSync(weights).size - 1000));
    const out = path.join(root, "bad-out");
    const error = await convertCheckpoint({ modelDir: bad, outDir: out }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).code).toBe("truncated");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((n) => n.startsWith("bad-out"))).toEqual([]);
  });
});

describe("ensureConverted on a converted folder", () => {
  it("refuses a different --embedding-bits than the folder was converted with", async () => {
    const converted = await ensureConverted(src, cache);
    const bits = readManifest(converted).embeddingBits;
    const other = bits === 8 ? 4 : 8;
    await expect(ensureConverted(converted, cache, { embeddingBits: other })).rejects.toThrow(/already converted with/);
    expect(await ensureConverted(converted, cache, { embeddingBits: bits })).toBe(converted);
  });
});
