/**
 * server/runtime/ — running a converted model: the ONNX session, its options, the KV cache, the
 * tokenizer. Knows the manifest (server/checkpoint), not the converter.
 *
 * ModelRunner over a converted model folder (graph contract and input/output names: the manifest,
 * server/checkpoint/onnx-manifest.ts). The KV cache (kv-buffers.ts) is fed to the graph as zero-copy
 * inputs, one key and one value buffer per layer, and extended by copying in just the new rows each
 * call, so a decode step's cost does not grow with copying.
 */
import path from "node:path";
import ort from "onnxruntime-node";
import type { ModelInfo, ModelRunner } from "./runner-types";
import { graphName, readManifest, type BitNetManifest } from "@/server/checkpoint/onnx-manifest";
import { sessionOptions, type RunnerTuning } from "./session-options";
import { KvBuffers } from "./kv-buffers";

export interface LoadOptions extends RunnerTuning {
  onProgress?: (message: string) => void;
}

export async function loadOnnxRunner(dir: string, options: LoadOptions = {}): Promise<OnnxRunner> {
  const manifest = readManifest(dir);
  options.onProgress?.("loading ONNX session");
  const session = await ort.InferenceSession.create(path.join(dir, "model.onnx"), sessionOptions(options));
  return new OnnxRunner(session, manifest);
}

export class OnnxRunner implements ModelRunner {
  readonly info: ModelInfo;
  private kv: KvBuffers;
  private maskCache = new Map<number, ort.Tensor>();
  /** Per-layer cache input/output names, expanded once from the manifest's templates. */
  private pastKeyNames: string[];
  private pastValueNames: string[];
  private newKeyNames: string[];
  private newValueNames: string[];

  constructor(
    private session: ort.InferenceSession,
    private m: BitNetManifest,
  ) {
    this.info = {
      vocabSize: m.vocabSize,
      maxPositions: m.maxPositions,
      numLayers: m.numLayers,
      hiddenSize: m.hiddenSize,
      bosTokenId: m.bosTokenId,
      eosTokenIds: m.eosTokenIds,
    };
    this.kv = new KvBuffers(m);
    const layers = Array.from({ length: m.numLayers }, (_, layer) => layer);
    this.pastKeyNames = layers.map((layer) => graphName(m.graph.pastKey, { layer }));
    this.pastValueNames = layers.map((layer) => graphName(m.graph.pastValue, { layer }));
    this.newKeyNames = layers.map((layer) => graphName(m.graph.newKey, { layer }));
    this.newValueNames = layers.map((layer) => graphName(m.graph.newValue, { layer }));
  }

  get length(): number {
    return this.kv.length;
  }

  async forward(ids: ArrayLike<number>, options: { keepLogits?: number } = {}): Promise<Float32Array> {
    const S = ids.length;
    const L = this.kv.length;
    const keep = options.keepLogits ?? 1;
    if (S === 0) throw new Error("forward: no tokens");
    if (keep < 1 || keep > S) throw new Error(`forward: keepLogits must be in 1..${S}`);
    if (L + S > this.m.maxPositions) throw new Error(`forward: ${L + S} positions exceed the model's ${this.m.maxPositions}`);
    const { headDim: D, numKvHeads: nKV, numLayers } = this.m;
    const kv = this.kv;

    const inputIds = new BigInt64Array(S);
    const positions = new BigInt64Array(S);
    for (let i = 0; i < S; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= this.m.vocabSize) throw new Error(`forward: token id ${id} is outside the vocabulary`);
      inputIds[i] = BigInt(id);
      positions[i] = BigInt(L + i);
    }
    const names = this.m.graph;
    const feeds: Record<string, ort.Tensor> = {
      [names.inputIds]: new ort.Tensor("int64", inputIds, [1, S]),
      [names.positionIds]: new ort.Tensor("int64", positions, [1, S]),
      [names.causalMask]: this.mask(S),
      [names.numLogitsToKeep]: new ort.Tensor("int64", BigInt64Array.of(BigInt(keep)), []),
    };
    // The past inputs hold the L cached positions (capacity C ≥ L, the rest masked); the S new rows are
    // appended after the run, so a prompt's first chunk attends over nothing but itself.
    kv.reserve(0);
    const C = kv.capacity;
    feeds[names.pastMask] = new ort.Tensor("float32", kv.mask, [C]);
    for (let i = 0; i < numLayers; i++) {
      feeds[this.pastKeyNames[i]] = new ort.Tensor("float32", kv.key(i), [nKV, C, D]);
      feeds[this.pastValueNames[i]] = new ort.Tensor("float32", kv.value(i), [nKV, C, D]);
    }
    const out = await this.session.run(feeds);
    kv.reserve(S);
    kv.append(S, (i) => [out[this.newKeyNames[i]].data as Float32Array, out[this.newValueNames[i]].data as Float32Array]);
    return out[names.logits].data as Float32Array;
  }

  truncate(length: number): void {
    if (!Number.isInteger(length) || length < 0 || length > this.kv.length) throw new Error(`truncate: ${length} is not in 0..${this.kv.length}`);
    this.kv.truncate(length);
  }

  async dispose(): Promise<void> {
    await this.session.release();
    this.kv.release();
  }

  /** [rep*S, S] causal mask among the new tokens; cached per S (decode always uses S = 1). */
  private mask(S: number): ort.Tensor {
    let t = this.maskCache.get(S);
    if (!t) {
      const rep = this.m.numHeads / this.m.numKvHeads;
      const data = new Float32Array(rep * S * S);
      for (let r = 0; r < rep; r++) {
        for (let i = 0; i < S; i++) data.fill(-Infinity, (r * S + i) * S + i + 1, (r * S + i + 1) * S);
      }
      t = new ort.Tensor("float32", data, [rep * S, S]);
      if (S <= 64) this.maskCache.set(S, t);
    }
    return t;
  }
}
