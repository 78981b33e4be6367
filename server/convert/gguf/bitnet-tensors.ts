/**
 * Hub BitNet checkpoint → llama.cpp `bitnet` architecture tensors (names and shapes as llama.cpp's
 * src/models/bitnet.cpp loads them). Each projection is stored as ternary codes (TQ2_0, block scale 1)
 * plus a one-element F32 `blk.N.<proj>.scale` that llama.cpp multiplies the projection's output by; we
 * store the *effective* scale (weight_scale for autobitlinear, 1/weight_scale for bitlinear —
 * docs/model-format.md §2), so llama.cpp's multiply reproduces our semantics for either class.
 * The head is tied: llama.cpp's bitnet graph computes logits with token_embd, so there is no output.weight.
 */
import type { Checkpoint, LayerWeights, TernaryLinear } from "@/server/checkpoint/checkpoint";
import { linearDims, normSize, type LinearName, type NormName } from "@/server/checkpoint/checkpoint-layout";
import { float32ToF16 } from "@/server/checkpoint/bf16";
import { GGML_BLOCK, type GgmlTypeName } from "./ggml-types";
import type { GgufTensor } from "./gguf-writer";
import { packTq2Rows } from "./quant-tq2";
import { quantizeQ8_0 } from "./quant-q8";
import { quantizeQ6K } from "./quant-q6k";

export type EmbeddingType = "q6_k" | "q8_0" | "f16";
export const EMBEDDING_TYPES: readonly EmbeddingType[] = ["q6_k", "q8_0", "f16"];

const LINEAR_NAMES: Record<LinearName, string> = {
  q: "attn_q",
  k: "attn_k",
  v: "attn_v",
  o: "attn_output",
  gate: "ffn_gate",
  up: "ffn_up",
  down: "ffn_down",
};
const NORM_NAMES: Record<NormName, string> = {
  inputNorm: "attn_norm",
  attnSubNorm: "attn_sub_norm",
  postAttentionNorm: "ffn_norm",
  ffnSubNorm: "ffn_sub_norm",
};
const LAYER_ORDER: (NormName | LinearName)[] = ["inputNorm", "q", "k", "v", "attnSubNorm", "o", "postAttentionNorm", "gate", "up", "ffnSubNorm", "down"];

export interface TensorPlan {
  tensors: GgufTensor[];
  /** What the embedding / tied head is actually stored as (q6_k falls back to q8_0 for rows not a multiple of 256). */
  embeddingType: EmbeddingType;
  /** TQ2_0 when every projection's input size is a multiple of 256; F16 ternary values otherwise (tiny test shapes). */
  linearType: GgmlTypeName;
}

const GGML_OF: Record<EmbeddingType, GgmlTypeName> = { q6_k: "Q6_K", q8_0: "Q8_0", f16: "F16" };

export function planTensors(checkpoint: Checkpoint, requested: EmbeddingType): TensorPlan {
  const c = checkpoint.config;
  const H = c.hiddenSize;
  const embeddingType: EmbeddingType = requested === "q6_k" && H % GGML_BLOCK.Q6_K.elements !== 0 ? "q8_0" : requested;
  if (embeddingType === "q8_0" && H % GGML_BLOCK.Q8_0.elements !== 0) throw new Error(`hidden_size ${H} is not a multiple of 32: Q8_0 cannot store the embedding; use f16`);
  const inputs = [H, c.numHeads * c.headDim, c.intermediateSize];
  const linearType: GgmlTypeName = inputs.every((n) => n % GGML_BLOCK.TQ2_0.elements === 0) ? "TQ2_0" : "F16";

  let cached: { index: number; weights: LayerWeights } | undefined;
  const layer = async (i: number) => {
    if (cached?.index !== i) cached = { index: i, weights: await checkpoint.readLayer(i) };
    return cached.weights;
  };

  const tensors: GgufTensor[] = [
    {
      name: "token_embd.weight",
      dims: [H, c.vocabSize],
      type: GGML_OF[embeddingType],
      data: async () => encodeEmbedding(await checkpoint.readEmbedding(), embeddingType),
    },
    { name: "output_norm.weight", dims: [H], type: "F32", data: async () => f32Bytes(await checkpoint.readFinalNorm()) },
  ];
  for (let i = 0; i < c.numLayers; i++) {
    for (const part of LAYER_ORDER) {
      if (part in NORM_NAMES) {
        const norm = part as NormName;
        tensors.push({ name: `blk.${i}.${NORM_NAMES[norm]}.weight`, dims: [normSize(c, norm)], type: "F32", data: async () => f32Bytes((await layer(i))[norm]) });
        continue;
      }
      const linear = part as LinearName;
      const base = `blk.${i}.${LINEAR_NAMES[linear]}`;
      const [out, inFeatures] = linearDims(c, linear);
      tensors.push({ name: `${base}.weight`, dims: [inFeatures, out], type: linearType, data: async () => encodeLinear((await layer(i))[linear], linearType) });
      tensors.push({ name: `${base}.scale`, dims: [1], type: "F32", data: async () => f32Bytes(Float32Array.of((await layer(i))[linear].effectiveScale)) });
    }
  }
  return { tensors, embeddingType, linearType };
}

function encodeLinear(w: TernaryLinear, type: GgmlTypeName): Uint8Array {
  if (type === "TQ2_0") return packTq2Rows(w.ternary, w.outFeatures, w.inFeatures);
  return float32ToF16(w.ternary);
}

function encodeEmbedding(e: Float32Array, type: EmbeddingType): Uint8Array {
  if (type === "q6_k") return quantizeQ6K(e);
  if (type === "q8_0") return quantizeQ8_0(e);
  return float32ToF16(e);
}

function f32Bytes(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}
