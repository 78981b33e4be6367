/**
 * What one generated token costs in weight traffic. A decode step multiplies one row of activations by
 * every weight matrix once, and the tied LM head reads the whole (quantized) embedding table, so the
 * bytes a token streams from memory are the converted model's weight files. The parameter count (from
 * the folder's config.json) gives what the same model would read at 16 bits per weight.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseBitNetConfig, type BitNetConfig } from "@/server/checkpoint/config";

export interface WeightFootprint {
  /** Bytes of weights read per generated token (the converted model's weight files). */
  bytesPerToken: number;
  /** Parameters of the model (every weight and norm; the tied embedding counted once). */
  parameters: number;
  /** The same model's weights at 16 bits each. */
  fp16BytesPerToken: number;
}

export function countParameters(c: BitNetConfig): number {
  const attention = c.hiddenSize * c.numHeads * c.headDim * 2 + c.hiddenSize * c.numKvHeads * c.headDim * 2;
  const mlp = 3 * c.hiddenSize * c.intermediateSize;
  const norms = 3 * c.hiddenSize + c.intermediateSize; // input, post-attention, attention sub-norm; ffn sub-norm
  const embedding = c.vocabSize * c.hiddenSize * (c.tieWordEmbeddings ? 1 : 2);
  return c.numLayers * (attention + mlp + norms) + embedding + c.hiddenSize;
}

export function readWeightFootprint(modelDir: string): WeightFootprint {
  const config = parseBitNetConfig(JSON.parse(readFileSync(path.join(modelDir, "config.json"), "utf8")));
  const bytesPerToken = readdirSync(modelDir)
    .filter((name) => /\.onnx(\.data)?$/.test(name))
    .reduce((sum, name) => sum + statSync(path.join(modelDir, name)).size, 0);
  const parameters = countParameters(config);
  return { bytesPerToken, parameters, fp16BytesPerToken: parameters * 2 };
}
