/**
 * server/convert/ — checkpoint → ONNX model folder (the graph builder in ./onnx) and → GGUF (./gguf).
 * Depends on server/checkpoint only; the runtime learns everything it needs from the manifest.
 *
 * Hub-format BitNet checkpoint → ONNX model folder (model.onnx + model.onnx.data, tokenizer and
 * config files, bitnet-manifest.json). Written into a temporary sibling folder and renamed at the
 * end, so a failed conversion never leaves a half-written output. `ensureConverted` is the
 * convert-once cache: it reconverts only when the source checksum or the converter version changes.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { openCheckpoint } from "@/server/checkpoint/checkpoint";
import { stopTokenIds } from "@/server/checkpoint/stop-token-ids";
import { MANIFEST_FILE, readManifest, type BitNetManifest } from "@/server/checkpoint/onnx-manifest";
import { writeModelFiles } from "./onnx/write-model";
import { buildManifest } from "./build-manifest";
import { CONVERTER_VERSION } from "./version";
import type { ActQuant, EmbeddingBits, KvDtype, WeightSource } from "./onnx/bitnet-graph";
import { hashSource, sameStamps, stampFiles } from "@/server/checkpoint/source-fingerprint";

/** Measured fastest correct settings (docs/performance.md, "Settings and why"). */
export const DEFAULT_EMBEDDING_BITS: EmbeddingBits = 4;
export const DEFAULT_BLOCK_SIZE = 128;
export const DEFAULT_ACCURACY_LEVEL = 4;
/**
 * fast: measured 1.45× decode, 1.27× prefill vs exact on the 2B shape (interleaved, docs/performance.md),
 * and per BitLinear it is as close to exact (1.5 % relative L2) as exact is to unquantized activations.
 */
export const DEFAULT_ACT_QUANT: ActQuant = "fast";
/**
 * float16: half the cache's memory and half the bytes attention reads per token (decode at a 2k context is
 * bandwidth-bound); the same default as llama.cpp's. Measured in docs/perf-journal/2026-11-30-17-fp16-kv-folded-scales-gc.md.
 */
export const DEFAULT_KV_DTYPE: KvDtype = "float16";

const COPIED_FILES = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

export interface ConvertOptions {
  modelDir: string;
  outDir: string;
  embeddingBits?: EmbeddingBits;
  blockSize?: number;
  accuracyLevel?: number;
  /** LM head MatMulNBits accuracy_level (default: accuracyLevel; 0 keeps its input in fp32, ~2× slower). */
  lmHeadAccuracyLevel?: number;
  fuseProjections?: boolean;
  /** BitLinear activation quantization: BitNet's per-token (exact) or the kernel's per-block (fast). */
  actQuant?: ActQuant;
  /** KV-cache storage type (default float16). */
  kvDtype?: KvDtype;
  onProgress?: (message: string) => void;
  /** Precomputed source checksum (ensureConverted already has it). */
  sourceSha256?: string;
}

export interface ConvertResult {
  outDir: string;
  manifest: BitNetManifest;
  seconds: number;
  /** model.onnx + model.onnx.data. */
  bytes: number;
}

/** The options that shape the converted files (not where they go or how progress is reported). */
export type ConverterSettings = Required<Omit<ConvertOptions, "modelDir" | "outDir" | "onProgress" | "sourceSha256">>;

/** Every converter setting with its default filled in: what a conversion writes, and what its cache key hashes. */
export function resolveConverterSettings(options: Omit<ConvertOptions, "modelDir" | "outDir">): ConverterSettings {
  const accuracyLevel = options.accuracyLevel ?? DEFAULT_ACCURACY_LEVEL;
  return {
    embeddingBits: options.embeddingBits ?? DEFAULT_EMBEDDING_BITS,
    blockSize: options.blockSize ?? DEFAULT_BLOCK_SIZE,
    accuracyLevel,
    lmHeadAccuracyLevel: options.lmHeadAccuracyLevel ?? accuracyLevel,
    fuseProjections: options.fuseProjections ?? true,
    actQuant: options.actQuant ?? DEFAULT_ACT_QUANT,
    kvDtype: options.kvDtype ?? DEFAULT_KV_DTYPE,
  };
}

/** "hashing source 123/456 bytes", at most once per percent. */
function hashingProgress(progress: (message: string) => void): (done: number, total: number) => void {
  let shown = -1;
  return (done, total) => {
    const percent = total > 0 ? Math.floor((done * 100) / total) : 100;
    if (percent === shown) return;
    shown = percent;
    progress(`hashing source ${done}/${total} bytes`);
  };
}

export async function convertCheckpoint(options: ConvertOptions): Promise<ConvertResult> {
  const started = performance.now();
  const modelDir = path.resolve(options.modelDir);
  const outDir = path.resolve(options.outDir);
  const progress = options.onProgress ?? (() => {});
  const { embeddingBits, blockSize, accuracyLevel, lmHeadAccuracyLevel, fuseProjections, actQuant, kvDtype } = resolveConverterSettings(options);

  const checkpoint = await openCheckpoint(modelDir);
  const tmp = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  try {
    const config = checkpoint.config;
    const stamps = stampFiles(modelDir);
    progress("hashing source");
    // Reported as it reads (a 1.2 GB checkpoint takes seconds), so the status bar moves from the start.
    const sha256 = options.sourceSha256 ?? (await hashSource(modelDir, hashingProgress(progress)));

    const info = await writeModelFiles(
      tmp,
      checkpoint as WeightSource,
      { embeddingBits, blockSize, accuracyLevel, lmHeadAccuracyLevel, fuseProjections, actQuant, kvDtype, onLayer: (done, total) => progress(`layer ${done}/${total}`) },
      CONVERTER_VERSION,
    );
    for (const name of COPIED_FILES) {
      if (existsSync(path.join(/*turbopackIgnore: true*/ modelDir, name))) copyFileSync(path.join(/*turbopackIgnore: true*/ modelDir, name), path.join(tmp, name));
    }
    const manifest = buildManifest({
      config,
      options: { embeddingBits, blockSize, accuracyLevel, lmHeadAccuracyLevel, fuseProjections, actQuant, kvDtype },
      info,
      source: { dir: modelDir, sha256, files: stamps },
      eosTokenIds: stopTokenIds(modelDir, config.eosTokenIds, config.vocabSize),
    });
    writeFileSync(path.join(tmp, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
    replaceDir(tmp, outDir);
    return { outDir, manifest, seconds: (performance.now() - started) / 1000, bytes: info.bytes };
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  } finally {
    await checkpoint.close?.();
  }
}

/** Swaps `tmp` into place; an older folder at `outDir` is moved aside first, then removed. */
function replaceDir(tmp: string, outDir: string): void {
  if (existsSync(outDir)) {
    const old = `${outDir}.old-${process.pid}-${Date.now()}`;
    renameSync(outDir, old);
    renameSync(tmp, outDir);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(tmp, outDir);
  }
}

export function defaultCacheRoot(): string {
  return process.env.BITNET_CACHE ?? path.join(os.homedir(), ".cache", "bitnet-chat");
}

export function isConvertedDir(dir: string): boolean {
  return existsSync(path.join(dir, MANIFEST_FILE)) && existsSync(path.join(dir, "model.onnx"));
}

export interface EnsureOptions extends Omit<ConvertOptions, "modelDir" | "outDir" | "sourceSha256"> {}

/**
 * Returns a converted folder for `modelDir`: the folder itself if it is already converted (refused when it
 * was converted with a setting other than one asked for), otherwise
 * `<cacheRoot>/onnx/<name>-<path hash>-<settings hash>-v<converter version>`: one folder per source, full
 * converter setting set and converter version, (re)converted when missing or when the source checksum
 * differs (size+mtime unchanged ⇒ same). A new converter version's folder replaces the older versions' of
 * the same source and settings.
 */
export async function ensureConverted(modelDir: string, cacheRoot: string = defaultCacheRoot(), options: EnsureOptions = {}): Promise<string> {
  const source = path.resolve(modelDir);
  if (isConvertedDir(source)) {
    refuseOtherSettings(source, options);
    return source;
  }
  const settings = resolveConverterSettings(options);
  const { stem, outDir } = cacheFolder(cacheRoot, source, settings);
  adoptLegacyFolder(cacheRoot, source, settings, outDir);
  let sha: string | undefined;
  if (isConvertedDir(outDir)) {
    const existing = safeManifest(outDir);
    if (existing && existing.converterVersion === CONVERTER_VERSION && existsSync(path.join(source, "model.safetensors"))) {
      if (sameStamps(existing.source.files, stampFiles(source))) return outDir;
      sha = await hashSource(source, options.onProgress && hashingProgress(options.onProgress));
      if (sha === existing.source.sha256) return outDir;
    }
  }
  mkdirSync(path.dirname(outDir), { recursive: true });
  const result = await convertCheckpoint({ ...options, ...settings, modelDir: source, outDir, sourceSha256: sha });
  removeOlderVersions(path.dirname(outDir), stem, path.basename(outDir));
  return result.outDir;
}

/** The cache folder's name: which source (its path), which settings (all of them, defaults filled in), which converter. */
export function cacheFolder(cacheRoot: string, source: string, settings: ConverterSettings): { stem: string; outDir: string } {
  const pathKey = createHash("sha256").update(source).digest("hex").slice(0, 12);
  const sorted = Object.fromEntries(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)));
  const settingsKey = createHash("sha256").update(JSON.stringify(sorted)).digest("hex").slice(0, 8);
  const stem = `${path.basename(source)}-${pathKey}-${settingsKey}`;
  return { stem, outDir: path.join(cacheRoot, "onnx", `${stem}-v${CONVERTER_VERSION}`) };
}

/**
 * Converter 9's cache named folders `<name>-<path hash>-e<bits>-<act-quant>` only: one whose manifest has
 * exactly these settings is renamed into its keyed place instead of converting the 2B model again.
 */
function adoptLegacyFolder(cacheRoot: string, source: string, settings: ConverterSettings, outDir: string): void {
  const pathKey = createHash("sha256").update(source).digest("hex").slice(0, 12);
  const legacy = path.join(cacheRoot, "onnx", `${path.basename(source)}-${pathKey}-e${settings.embeddingBits}-${settings.actQuant}`);
  if (existsSync(outDir) || !isConvertedDir(legacy)) return;
  const have = safeManifest(legacy);
  if (have?.converterVersion !== CONVERTER_VERSION) return;
  try {
    refuseOtherSettings(legacy, settings);
  } catch {
    return;
  }
  renameSync(legacy, outDir);
}

/** A converted folder's manifest must match every setting the caller named (its file names say nothing). */
function refuseOtherSettings(dir: string, options: EnsureOptions): void {
  const have = safeManifest(dir);
  if (!have) return;
  const asked: { [K in keyof ConverterSettings]: [label: string, got: ConverterSettings[K]] } = {
    embeddingBits: ["--embedding-bits", have.embeddingBits],
    actQuant: ["--act-quant", have.actQuant],
    kvDtype: ["--kv-dtype", have.kvDtype],
    blockSize: ["--block-size", have.blockSize],
    accuracyLevel: ["--accuracy-level", have.accuracyLevel],
    lmHeadAccuracyLevel: ["lmHeadAccuracyLevel", have.lmHeadAccuracyLevel ?? have.accuracyLevel],
    fuseProjections: ["fuseProjections", have.fuseProjections],
  };
  for (const [name, [label, got]] of Object.entries(asked)) {
    const want = options[name as keyof ConverterSettings];
    if (want !== undefined && want !== got) {
      throw new Error(`${dir} is already converted with ${label} ${String(got)}; convert the original checkpoint with ${label} ${String(want)} instead.`);
    }
  }
}

/** Folders of the same source and settings made by another converter version are stale once this one exists. */
function removeOlderVersions(onnxDir: string, stem: string, keep: string): void {
  for (const name of readdirSync(onnxDir)) {
    if (name !== keep && new RegExp(`^${escapeRegExp(stem)}-v[^-]+$`).test(name)) rmSync(path.join(onnxDir, name), { recursive: true, force: true });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function safeManifest(dir: string): BitNetManifest | undefined {
  try {
    return readManifest(dir);
  } catch {
    return undefined;
  }
}
