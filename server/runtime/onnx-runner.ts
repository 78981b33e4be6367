/**
 * server/runtime/ — running a converted model: the ONNX session, its options, the KV cache, the
 * tokenizer. Knows the manifest (server/checkpoint), not the converter.
 *
 * ModelRunner over a converted model folder (graph contract and input/output names: the manifest,
 * server/checkpoint/onnx-manifest.ts). The KV cache (kv-buffers.ts) holds one or more sequences (slots) and
 * is fed to the graph as zero-copy inputs, one key and one value buffer per layer, and extended by copying
 * in just the new rows each call, so a decode step's cost does not grow with copying. One pass can run new
 * tokens of several sequences (forwardBatch): the linears see only the real tokens, attention runs per
 * sequence over its own slot.
 */
import ort from "onnxruntime-node";
import type { BatchRow, BatchedModelRunner, ModelInfo } from "./runner-types";
import { graphName, readManifest, type BitNetManifest } from "@/server/checkpoint/onnx-manifest";
import { openSession, type RunnerSession, type SessionTuning } from "./runner-session";
import { KvBuffers, type KvArray } from "./kv-buffers";
import { EmbeddingRows } from "./embedding-rows";

export interface LoadOptions extends SessionTuning {
  onProgress?: (message: string) => void;
  /** Sequences the runner may hold at once (KV-cache slots; default 16). Memory grows with the slots in use. */
  maxSlots?: number;
}

const DEFAULT_MAX_SLOTS = 16;

export async function loadOnnxRunner(dir: string, options: LoadOptions = {}): Promise<OnnxRunner> {
  const manifest = readManifest(dir);
  options.onProgress?.("loading ONNX session");
  const embedding = new EmbeddingRows(dir, manifest);
  try {
    const session = await openSession(dir, manifest, options);
    return new OnnxRunner(session, manifest, embedding, options.maxSlots ?? DEFAULT_MAX_SLOTS);
  } catch (error) {
    embedding.close();
    throw error;
  }
}

export class OnnxRunner implements BatchedModelRunner {
  readonly info: ModelInfo;
  private kv: KvBuffers;
  private maskCache = new Map<number, ort.Tensor>();
  /** Per-layer cache input/output names, expanded once from the manifest's templates. */
  private pastKeyNames: string[];
  private pastValueNames: string[];
  private newKeyNames: string[];
  private newValueNames: string[];

  constructor(
    private session: RunnerSession,
    private m: BitNetManifest,
    /** The token embedding lookup (outside the graph: see embedding-rows.ts). */
    private embedding: EmbeddingRows,
    readonly maxSlots: number = DEFAULT_MAX_SLOTS,
  ) {
    this.info = {
      vocabSize: m.vocabSize,
      maxPositions: m.maxPositions,
      numLayers: m.numLayers,
      hiddenSize: m.hiddenSize,
      bosTokenId: m.bosTokenId,
      eosTokenIds: m.eosTokenIds,
    };
    this.kv = new KvBuffers(m, m.kvDtype);
    const layers = Array.from({ length: m.numLayers }, (_, layer) => layer);
    this.pastKeyNames = layers.map((layer) => graphName(m.graph.pastKey, { layer }));
    this.pastValueNames = layers.map((layer) => graphName(m.graph.pastValue, { layer }));
    this.newKeyNames = layers.map((layer) => graphName(m.graph.newKey, { layer }));
    this.newValueNames = layers.map((layer) => graphName(m.graph.newValue, { layer }));
  }

  /** The kernel the projections run on: "ternary-<isa>" or "mlas" (runner-session.ts). */
  get kernel(): string {
    return this.session.kernel;
  }

  get length(): number {
    return this.kv.length(0);
  }

  slotLength(slot: number): number {
    return this.kv.length(slot);
  }

  async forward(ids: ArrayLike<number>, options: { keepLogits?: number } = {}): Promise<Float32Array> {
    const [logits] = await this.forwardBatch([{ slot: 0, ids, keepLogits: options.keepLogits }]);
    return logits;
  }

  async forwardBatch(rows: readonly BatchRow[]): Promise<Float32Array[]> {
    if (rows.length === 0) throw new Error("forward: no rows");
    const { headDim: D, numKvHeads: nKV, numLayers, vocabSize: V, hiddenSize: H } = this.m;
    const kv = this.kv;
    let R = 0; // rows of the pass: slots 0..R-1 (a slot without tokens this pass rides along, fully padded)
    let S = 0; // padded row length
    let T = 0;
    let K = 0;
    const seen = new Set<number>();
    for (const row of rows) {
      const n = row.ids.length;
      const keep = row.keepLogits ?? 1;
      if (!Number.isInteger(row.slot) || row.slot < 0 || row.slot >= this.maxSlots) throw new Error(`forward: slot ${row.slot} is not in 0..${this.maxSlots - 1}`);
      if (seen.has(row.slot)) throw new Error(`forward: slot ${row.slot} appears twice`);
      seen.add(row.slot);
      if (n === 0) throw new Error("forward: no tokens");
      if (keep < 1 || keep > n) throw new Error(`forward: keepLogits must be in 1..${n}`);
      const L = kv.length(row.slot);
      if (L + n > this.m.maxPositions) throw new Error(`forward: ${L + n} positions exceed the model's ${this.m.maxPositions}`);
      R = Math.max(R, row.slot + 1);
      S = Math.max(S, n);
      T += n;
      K += keep;
    }

    const embeds = new Float32Array(T * H);
    const positions = new BigInt64Array(T);
    const rowGather = new BigInt64Array(R * S);
    const tokenGather = new BigInt64Array(T);
    // The LM head's 4/8-bit kernel computes rows in pairs and a lone last row another way (last bits differ),
    // so an odd count gets the last wanted row once more: every row then takes the pair path, and a
    // sequence's logits do not depend on how many rows share its pass (tested: onnx-runner.test.ts).
    const logitsIndex = new BigInt64Array(K + (K % 2));
    const starts: number[] = [];
    let t = 0;
    let k = 0;
    for (const row of rows) {
      const n = row.ids.length;
      const L = kv.length(row.slot);
      starts.push(t);
      for (let i = 0; i < n; i++) {
        const id = row.ids[i];
        if (!Number.isInteger(id) || id < 0 || id >= V) throw new Error(`forward: token id ${id} is outside the vocabulary`);
        positions[t + i] = BigInt(L + i);
        tokenGather[t + i] = BigInt(row.slot * S + i);
      }
      this.embedding.read(row.ids, embeds.subarray(t * H, (t + n) * H));
      // Padding repeats the row's last token: right of every real position, so no real query sees it.
      for (let i = 0; i < S; i++) rowGather[row.slot * S + i] = BigInt(t + Math.min(i, n - 1));
      for (let j = n - (row.keepLogits ?? 1); j < n; j++) logitsIndex[k++] = BigInt(t + j);
      t += n;
    }
    if (K % 2 === 1) logitsIndex[K] = logitsIndex[K - 1];
    const names = this.m.graph;
    const feeds: Record<string, ort.Tensor> = {
      [names.inputsEmbeds]: new ort.Tensor("float32", embeds, [1, T, H]),
      [names.positionIds]: new ort.Tensor("int64", positions, [1, T]),
      [names.causalMask]: this.mask(S),
      [names.logitsIndex]: new ort.Tensor("int64", logitsIndex, [logitsIndex.length]),
      [names.rowGather]: new ort.Tensor("int64", rowGather, [R * S]),
      [names.tokenGather]: new ort.Tensor("int64", tokenGather, [T]),
    };
    // The past inputs hold each slot's cached positions (capacity C ≥ every slot's length, the rest masked);
    // the new rows are appended after the run, so a prompt's first chunk attends over nothing but itself.
    kv.reserve([]);
    if (kv.slotCount < R) kv.reserve([{ slot: R - 1, count: 0 }]);
    const C = kv.capacity;
    feeds[names.pastMask] = new ort.Tensor("float32", kv.mask(R), [R, C]);
    const kvType = this.m.kvDtype;
    for (let i = 0; i < numLayers; i++) {
      feeds[this.pastKeyNames[i]] = new ort.Tensor(kvType, kv.key(i, R), [R, nKV, C, D]);
      feeds[this.pastValueNames[i]] = new ort.Tensor(kvType, kv.value(i, R), [R, nKV, D, C]);
    }
    const out = await this.session.run(feeds);
    kv.reserve(rows.map((row) => ({ slot: row.slot, count: row.ids.length })));
    const newRows = (i: number): [KvArray, KvArray] => [out[this.newKeyNames[i]].data as KvArray, out[this.newValueNames[i]].data as KvArray];
    rows.forEach((row, r) => kv.append(row.slot, row.ids.length, starts[r], newRows));
    const logits = out[names.logits].data as Float32Array;
    const result: Float32Array[] = [];
    let at = 0;
    for (const row of rows) {
      const keep = row.keepLogits ?? 1;
      result.push(logits.subarray(at * V, (at + keep) * V));
      at += keep;
    }
    return result;
  }

  truncate(length: number): void {
    this.truncateSlot(0, length);
  }

  truncateSlot(slot: number, length: number): void {
    const L = this.kv.length(slot);
    if (!Number.isInteger(length) || length < 0 || length > L) throw new Error(`truncate: ${length} is not in 0..${L}`);
    this.kv.truncate(slot, length);
  }
  async dispose(): Promise<void> {
    await this.session.release();
    this.kv.release();
    this.embedding.close();
  }

  /** [rep*S, S] causal mask among one row's new tokens; cached per S (decode always uses S = 1). */
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
