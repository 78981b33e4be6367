/**
 * ModelRunner over the float64 reference model, straight from a hub-format checkpoint folder: lets engine
 * tests run a real (tiny) model without onnxruntime, with the same argument checks as the ONNX runner.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ModelInfo, ModelRunner } from "@/server/runtime/runner-types";
import type { KvCache } from "./kv-cache";
import { loadReferenceModel, type ReferenceModel } from "./reference-model";

export interface ReferenceRunnerOptions {
  /** Positions the KV cache may hold (default and maximum: the config's max_position_embeddings). */
  maxPositions?: number;
}

export async function createReferenceRunner(dir: string, options: ReferenceRunnerOptions = {}): Promise<ModelRunner> {
  const model = await loadReferenceModel(dir);
  const { config } = model;
  const maxPositions = Math.min(options.maxPositions ?? config.maxPositions, config.maxPositions);
  const info: ModelInfo = {
    vocabSize: config.vocabSize,
    maxPositions,
    numLayers: config.numLayers,
    hiddenSize: config.hiddenSize,
    bosTokenId: config.bosTokenId,
    eosTokenIds: stopTokenIds(dir, config.eosTokenIds, config.vocabSize),
  };
  return new ReferenceRunner(model, info);
}

class ReferenceRunner implements ModelRunner {
  private cache: KvCache;
  private disposed = false;

  constructor(
    private readonly model: ReferenceModel,
    readonly info: ModelInfo,
  ) {
    this.cache = model.newCache(info.maxPositions);
  }

  get length(): number {
    return this.cache.length;
  }

  async forward(ids: ArrayLike<number>, options: { keepLogits?: number } = {}): Promise<Float32Array> {
    if (this.disposed) throw new Error("forward: the runner has been disposed");
    const n = ids.length;
    const keep = options.keepLogits ?? 1;
    if (n === 0) throw new Error("forward: no tokens");
    if (!Number.isInteger(keep) || keep < 1 || keep > n) throw new Error(`forward: keepLogits must be in 1..${n}`);
    const hidden = this.model.run(ids, this.cache);
    const V = this.info.vocabSize;
    const out = new Float32Array(keep * V);
    for (let r = 0; r < keep; r++) out.set(this.model.logits(hidden, n - keep + r), r * V);
    return out;
  }

  truncate(length: number): void {
    this.cache.truncate(length);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.cache = this.model.newCache(0);
  }
}

/**
 * The ids that end an answer, as the converter's manifest records them: config eos, generation_config eos,
 * and `<|eot_id|>` from the tokenizer files, within the vocabulary (the same rule as convert.ts, whose helper is private).
 */
function stopTokenIds(dir: string, configEos: number[], vocabSize: number): number[] {
  const ids = new Set(configEos);
  const readJson = (name: string): Record<string, unknown> | undefined => {
    const file = path.join(dir, name);
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : undefined;
  };
  const gen = readJson("generation_config.json")?.eos_token_id;
  for (const id of Array.isArray(gen) ? gen : gen === undefined ? [] : [gen]) if (typeof id === "number") ids.add(id);
  // tokenizer_config.json lists the same added tokens as tokenizer.json in 1% of the bytes (parsing the
  // 128k-entry tokenizer.json takes over a second).
  const decoder = readJson("tokenizer_config.json")?.added_tokens_decoder as Record<string, { content?: string }> | undefined;
  const fromConfig = Object.entries(decoder ?? {}).find(([, t]) => t.content === "<|eot_id|>")?.[0];
  if (fromConfig !== undefined) {
    ids.add(Number(fromConfig));
  } else {
    const added = readJson("tokenizer.json")?.added_tokens;
    const eot = Array.isArray(added) ? (added.find((t) => (t as { content?: string }).content === "<|eot_id|>") as { id?: number } | undefined) : undefined;
    if (typeof eot?.id === "number") ids.add(eot.id);
  }
  return [...ids].filter((id) => id < vocabSize).sort((a, b) => a - b);
}
