/**
 * ModelRunner over the float64 reference model, straight from a hub-format checkpoint folder: lets engine
 * tests run a real (tiny) model without onnxruntime, with the same argument checks as the ONNX runner.
 */
import { stopTokenIds } from "@/server/checkpoint/stop-token-ids";
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
