/**
 * `bitnet export-gguf`: a hub-format BitNet checkpoint → one llama.cpp GGUF file (architecture `bitnet`),
 * with ternary projections as TQ2_0, the tied embedding as Q6_K (or Q8_0 / F16) and the Llama 3 tokenizer.
 * Written to a temporary sibling and renamed, so an interrupted export never leaves a truncated file.
 * docs/gguf-export.md has the tensor/metadata mapping and the block layouts.
 */
import { rm, rename } from "node:fs/promises";
import path from "node:path";
import { openCheckpoint } from "@/server/checkpoint/checkpoint";
import type { BitNetConfig } from "@/server/checkpoint/config";
import { f32, str, u32, type GgufValue } from "./gguf-metadata";
import { writeGguf } from "./gguf-writer";
import { planTensors, type EmbeddingType } from "./bitnet-tensors";
import { tokenizerMetadata } from "./tokenizer-gguf";
import type { GgmlTypeName } from "./ggml-types";

/** Bumped when the file layout changes, so cached exports are redone. */
export const GGUF_EXPORTER_VERSION = 1;
export const DEFAULT_GGUF_EMBEDDING: EmbeddingType = "q6_k";

/** llama_ftype LLAMA_FTYPE_MOSTLY_TQ2_0 (informational `general.file_type`). */
const FTYPE_MOSTLY_TQ2_0 = 37;

export interface ExportGgufOptions {
  modelDir: string;
  outFile: string;
  embeddingType?: EmbeddingType;
  onProgress?: (message: string) => void;
}

export interface ExportGgufResult {
  outFile: string;
  bytes: number;
  seconds: number;
  embeddingType: EmbeddingType;
  linearType: GgmlTypeName;
  tensors: number;
}

export async function exportGguf(options: ExportGgufOptions): Promise<ExportGgufResult> {
  const started = performance.now();
  const outFile = path.resolve(options.outFile);
  const checkpoint = await openCheckpoint(options.modelDir);
  const tmp = `${outFile}.tmp-${process.pid}-${Date.now()}`;
  try {
    const c = checkpoint.config;
    const plan = planTensors(checkpoint, options.embeddingType ?? DEFAULT_GGUF_EMBEDDING);
    const metadata: [string, GgufValue][] = [
      ...architectureMetadata(c, path.basename(checkpoint.dir), plan.linearType),
      ...tokenizerMetadata(checkpoint.dir, c.vocabSize, { bosTokenId: c.bosTokenId, eosTokenIds: c.eosTokenIds }),
    ];
    const bytes = await writeGguf(tmp, { metadata, tensors: plan.tensors }, (done, total) => options.onProgress?.(`tensor ${done}/${total}`));
    await rename(tmp, outFile);
    return {
      outFile,
      bytes,
      seconds: (performance.now() - started) / 1000,
      embeddingType: plan.embeddingType,
      linearType: plan.linearType,
      tensors: plan.tensors.length,
    };
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  } finally {
    await checkpoint.close();
  }
}

/** The `bitnet.*` hyper-parameters llama.cpp reads (keys and types as convert_hf_to_gguf.py writes them). */
export function architectureMetadata(c: BitNetConfig, name: string, linearType: GgmlTypeName): [string, GgufValue][] {
  const meta: [string, GgufValue][] = [
    ["general.architecture", str("bitnet")],
    ["general.name", str(name)],
    ["general.quantization_version", u32(2)],
    ["bitnet.vocab_size", u32(c.vocabSize)],
    ["bitnet.context_length", u32(c.maxPositions)],
    ["bitnet.embedding_length", u32(c.hiddenSize)],
    ["bitnet.block_count", u32(c.numLayers)],
    ["bitnet.feed_forward_length", u32(c.intermediateSize)],
    ["bitnet.attention.head_count", u32(c.numHeads)],
    ["bitnet.attention.head_count_kv", u32(c.numKvHeads)],
    ["bitnet.attention.key_length", u32(c.headDim)],
    ["bitnet.attention.value_length", u32(c.headDim)],
    ["bitnet.attention.layer_norm_rms_epsilon", f32(c.rmsNormEps)],
    ["bitnet.rope.dimension_count", u32(c.headDim)],
    ["bitnet.rope.freq_base", f32(c.ropeTheta)],
    // Newer llama.cpp reads the FFN activation from here (older builds hard-code SiLU for `bitnet`).
    ["bitnet.hidden_activation", str("relu2")],
  ];
  if (linearType === "TQ2_0") meta.splice(3, 0, ["general.file_type", u32(FTYPE_MOSTLY_TQ2_0)]);
  return meta;
}
