/**
 * server/checkpoint/ — the BitNet checkpoint on disk: config, safetensors, bf16, ternary unpacking,
 * validation, fingerprints, and the converted folder's manifest schema. The bottom layer: it imports
 * nothing else from server/.
 *
 * A hub-format BitNet checkpoint folder (config.json + model.safetensors), validated up front and read
 * one layer at a time, so the converter never holds more than one layer's unpacked weights.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { EMBEDDING, FINAL_NORM, LINEARS, linearDims, linearTensorName, NORMS, normTensorName, type LinearName, type NormName } from "./checkpoint-layout";
import { validateTensors } from "./checkpoint-validate";
import { parseBitNetConfig, type BitNetConfig } from "./config";
import { CheckpointError } from "./errors";
import { openSafetensors, type SafetensorsReader } from "./safetensors";
import { unpackTernary } from "./ternary";

export interface TernaryLinear {
  name: string;
  outFeatures: number;
  inFeatures: number;
  /** Row-major [outFeatures, inFeatures], values -1 / 0 / 1. */
  ternary: Int8Array;
  /** The stored `weight_scale`. */
  weightScale: number;
  /** What the ternary weights are multiplied by: weightScale for autobitlinear, 1 / weightScale for bitlinear. */
  effectiveScale: number;
}

export type LayerWeights = Record<NormName, Float32Array> & Record<LinearName, TernaryLinear>;

export interface Checkpoint {
  dir: string;
  config: BitNetConfig;
  reader: SafetensorsReader;
  /** Absolute paths of the checkpoint files present (config, weights, generation config, tokenizer files). */
  sourceFiles: string[];
  readLayer(i: number): Promise<LayerWeights>;
  /** Row-major [vocabSize, hiddenSize]. */
  readEmbedding(): Promise<Float32Array>;
  readFinalNorm(): Promise<Float32Array>;
  close(): Promise<void>;
}

const OPTIONAL_FILES = ["generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

export async function openCheckpoint(dir: string): Promise<Checkpoint> {
  const root = path.resolve(dir);
  const configPath = path.join(root, "config.json");
  const weightsPath = path.join(root, "model.safetensors");
  if (!existsSync(configPath)) {
    throw new CheckpointError("not_found", `${root} has no config.json: it is not a Hugging Face checkpoint folder.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(configPath, "utf8"));
  } catch (error) {
    throw new CheckpointError("bad_config", `${configPath} is not valid JSON (${(error as Error).message}).`, { cause: error });
  }
  const config = parseBitNetConfig(json);
  if (!config.tieWordEmbeddings) {
    throw new CheckpointError(
      "bad_config",
      "config.json has tie_word_embeddings false (or leaves it out, which means false): untied LM heads are unsupported; " +
        "BitNet b1.58 2B4T ties the head to the embedding.",
    );
  }
  if (!existsSync(weightsPath)) {
    const sharded = existsSync(path.join(root, "model.safetensors.index.json"));
    throw new CheckpointError(
      "not_found",
      sharded
        ? `${root} holds a sharded checkpoint (model.safetensors.index.json); only a single model.safetensors is supported.`
        : `${root} has no model.safetensors.`,
    );
  }
  const reader = await openSafetensors(weightsPath);
  try {
    validateTensors(config, reader.tensors, "model.safetensors");
  } catch (error) {
    await reader.close();
    throw error;
  }
  const sourceFiles = [configPath, weightsPath, ...OPTIONAL_FILES.map((f) => path.join(/*turbopackIgnore: true*/ root, f)).filter((f) => existsSync(f))];
  return {
    dir: root,
    config,
    reader,
    sourceFiles,
    readLayer: (i) => readLayer(reader, config, i),
    readEmbedding: () => reader.readFloat32(EMBEDDING),
    readFinalNorm: () => reader.readFloat32(FINAL_NORM),
    close: () => reader.close(),
  };
}

async function readLayer(reader: SafetensorsReader, config: BitNetConfig, layer: number): Promise<LayerWeights> {
  if (!Number.isInteger(layer) || layer < 0 || layer >= config.numLayers) {
    throw new RangeError(`layer ${layer} is out of range (the checkpoint has ${config.numLayers} layers)`);
  }
  const weights: Partial<LayerWeights> = {};
  for (const norm of NORMS) weights[norm] = await reader.readFloat32(normTensorName(layer, norm));
  for (const linear of LINEARS) weights[linear] = await readLinear(reader, config, layer, linear);
  return weights as LayerWeights;
}

async function readLinear(reader: SafetensorsReader, config: BitNetConfig, layer: number, linear: LinearName): Promise<TernaryLinear> {
  const name = linearTensorName(layer, linear);
  const [outFeatures, inFeatures] = linearDims(config, linear);
  const ternary = unpackTernary(await reader.readBytes(name), outFeatures / 4, inFeatures, name);
  const weightScale = (await reader.readFloat32(`${name}_scale`))[0];
  // A zero, negative or non-finite scale cannot come from absmean quantization; dividing by it would give Inf/NaN.
  if (!(Number.isFinite(weightScale) && weightScale > 0)) {
    throw new CheckpointError("bad_scale", `model.safetensors: tensor "${name}_scale" is ${weightScale}; a weight scale must be a positive finite number.`);
  }
  const effectiveScale = config.linearClass === "autobitlinear" ? weightScale : 1 / weightScale;
  return { name, outFeatures, inFeatures, ternary, weightScale, effectiveScale };
}
