/**
 * The GGUF export of a checkpoint, made once and reused: `<BITNET_CACHE>/gguf/<name>-<path hash>-<embedding>.gguf`
 * with a stamp file (exporter version + the source's size/mtime stamps), redone when either changes.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { defaultCacheRoot } from "@/server/convert/convert";
import { exportGguf, GGUF_EXPORTER_VERSION } from "@/server/convert/gguf/export-gguf";
import type { EmbeddingType } from "@/server/convert/gguf/bitnet-tensors";
import { sameStamps, stampFiles, type FileStamp } from "@/server/checkpoint/source-fingerprint";

interface Stamp {
  exporterVersion: number;
  files: FileStamp[];
  /** What the file holds, e.g. "TQ2_0 + q6_k" (projections + embedding). */
  weights?: string;
}

export interface CachedGguf {
  file: string;
  weights: string;
}

export async function ensureGguf(modelDir: string, embedding: EmbeddingType, log: (message: string) => void, cacheRoot = defaultCacheRoot()): Promise<CachedGguf> {
  const source = path.resolve(modelDir);
  if (!existsSync(path.join(source, "model.safetensors"))) {
    throw new Error(`--baseline llama.cpp needs the hub-format checkpoint (config.json + model.safetensors); ${source} has no model.safetensors`);
  }
  const key = createHash("sha256").update(source).digest("hex").slice(0, 12);
  const file = path.join(cacheRoot, "gguf", `${path.basename(source)}-${key}-${embedding}.gguf`);
  const stampFile = `${file}.json`;
  const want: Stamp = { exporterVersion: GGUF_EXPORTER_VERSION, files: stampFiles(source) };
  if (existsSync(file) && existsSync(stampFile)) {
    const have = JSON.parse(readFileSync(stampFile, "utf8")) as Stamp;
    if (have.exporterVersion === want.exporterVersion && sameStamps(have.files, want.files) && have.weights) return { file, weights: have.weights };
  }
  mkdirSync(path.dirname(file), { recursive: true });
  log(`exporting ${source} to GGUF for llama.cpp (once): ${file}`);
  const result = await exportGguf({ modelDir: source, outFile: file, embeddingType: embedding });
  log(`exported in ${result.seconds.toFixed(1)} s, ${(result.bytes / 1e6).toFixed(1)} MB (projections ${result.linearType}, embedding ${result.embeddingType})`);
  const weights = `${result.linearType} + ${result.embeddingType}`;
  writeFileSync(stampFile, JSON.stringify({ ...want, weights }, null, 2) + "\n");
  return { file, weights };
}
