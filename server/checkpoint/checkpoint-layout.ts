/**
 * The tensors a hub BitNet checkpoint contains (format spec §2): names, dtypes and shapes derived from the
 * config. Shared by the validator (openCheckpoint) and the generator (tiny-checkpoint), so they cannot drift.
 */
import type { BitNetConfig } from "./config";
import type { TensorSpec } from "./safetensors-header";

export const LINEARS = ["q", "k", "v", "o", "gate", "up", "down"] as const;
export type LinearName = (typeof LINEARS)[number];

export const NORMS = ["inputNorm", "postAttentionNorm", "attnSubNorm", "ffnSubNorm"] as const;
export type NormName = (typeof NORMS)[number];

export const EMBEDDING = "model.embed_tokens.weight";
export const FINAL_NORM = "model.norm.weight";

export function linearTensorName(layer: number, linear: LinearName): string {
  const block = linear === "gate" || linear === "up" || linear === "down" ? "mlp" : "self_attn";
  return `model.layers.${layer}.${block}.${linear}_proj.weight`;
}

export function normTensorName(layer: number, norm: NormName): string {
  const suffix = {
    inputNorm: "input_layernorm",
    postAttentionNorm: "post_attention_layernorm",
    attnSubNorm: "self_attn.attn_sub_norm",
    ffnSubNorm: "mlp.ffn_sub_norm",
  }[norm];
  return `model.layers.${layer}.${suffix}.weight`;
}

/** [out, in] of each BitLinear; packed on disk as U8 [out / 4, in]. */
export function linearDims(c: BitNetConfig, linear: LinearName): [out: number, inFeatures: number] {
  const h = c.hiddenSize, i = c.intermediateSize;
  const attn = c.numHeads * c.headDim, kv = c.numKvHeads * c.headDim;
  switch (linear) {
    case "q":
      return [attn, h];
    case "k":
    case "v":
      return [kv, h];
    case "o":
      return [h, attn];
    case "gate":
    case "up":
      return [i, h];
    case "down":
      return [h, i];
  }
}

export function normSize(c: BitNetConfig, norm: NormName): number {
  return norm === "ffnSubNorm" ? c.intermediateSize : c.hiddenSize;
}

/** Every tensor of layer `layer` with its canonical dtype (weight_scale: BF16 [1], as the hub writes it). */
export function layerTensors(c: BitNetConfig, layer: number): TensorSpec[] {
  const specs: TensorSpec[] = NORMS.map((norm) => ({ name: normTensorName(layer, norm), dtype: "BF16", shape: [normSize(c, norm)] }));
  for (const linear of LINEARS) {
    const [out, inFeatures] = linearDims(c, linear);
    const name = linearTensorName(layer, linear);
    specs.push({ name, dtype: "U8", shape: [out / 4, inFeatures] });
    specs.push({ name: `${name}_scale`, dtype: "BF16", shape: [1] });
  }
  return specs;
}

/** All 2 + numLayers × 18 tensors, in file order (sorted by name, like the hub's safetensors). */
export function expectedTensors(c: BitNetConfig): TensorSpec[] {
  const specs: TensorSpec[] = [
    { name: EMBEDDING, dtype: "BF16", shape: [c.vocabSize, c.hiddenSize] },
    { name: FINAL_NORM, dtype: "BF16", shape: [c.hiddenSize] },
  ];
  for (let layer = 0; layer < c.numLayers; layer++) specs.push(...layerTensors(c, layer));
  return specs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
