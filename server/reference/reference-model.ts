/**
 * server/reference/ — the float64 reference model: the oracle the ONNX graph is tested against.
 *
 * A float64 BitNet forward pass straight from docs/model-format.md §3, without onnxruntime: the oracle
 * for the ONNX graph and a real (slow) model for tests. Weights stay as read (ternary Int8, norms and
 * embedding as the exact bf16 values in float32); every computation is float64.
 */
import { openCheckpoint, type LayerWeights, type TernaryLinear } from "@/server/checkpoint/checkpoint";
import type { BitNetConfig } from "@/server/checkpoint/config";
import { causalAttention } from "./attention";
import { roundToFloat16 } from "@/server/checkpoint/bf16";
import { KvCache } from "./kv-cache";
import { applyRope, bitLinear, relu2Mul, rmsNormRows, ropeInvFreq, siluMul, type BitLinearOptions } from "./ops";

export interface ReferenceModel {
  readonly config: BitNetConfig;
  /** Logits of every position of `ids` (positions 0..T-1, no cache). */
  forward(ids: readonly number[]): Float64Array[];
  /** An empty cache for `run` (at most `maxPositions`, default the config's). */
  newCache(maxPositions?: number): KvCache;
  /**
   * Runs `ids` at positions [cache.length, cache.length + ids.length), appends their keys and values, and
   * returns the final-normed hidden states [ids.length, hiddenSize].
   */
  run(ids: ArrayLike<number>, cache: KvCache): Float64Array;
  /** Tied LM head of one final-normed hidden row: h @ E^T, unquantized. */
  logits(hidden: Float64Array, row: number): Float64Array;
}

export interface ReferenceOptions {
  /**
   * The MLP activation: BitNet's relu² (default), or SiLU — what llama.cpp's `bitnet` graph computes, so an
   * exported GGUF can be checked against the same network llama.cpp actually runs.
   */
  ffnActivation?: "relu2" | "silu";
  /** Activations quantized per block of this many columns (`--act-quant fast`), not per token. */
  activationBlock?: number;
  /**
   * Keys (after RoPE) and values rounded to fp16 before attention, as a `--kv-dtype float16` model stores
   * them: the graph caches the projections before their weight scale s (it folds the scales elsewhere,
   * server/convert/onnx/bitnet-graph.ts "Scales"), so a stored value is s · fp16(x / s).
   */
  kvFloat16?: boolean;
  /** Sees every BitLinear's input (before its quantization) and weights: for error measurements. */
  observeLinear?: (layer: number, name: LinearName, x: Float64Array, w: TernaryLinear) => void;
}

export type LinearName = "q" | "k" | "v" | "o" | "gate" | "up" | "down";

export async function loadReferenceModel(dir: string, options: ReferenceOptions = {}): Promise<ReferenceModel> {
  const checkpoint = await openCheckpoint(dir);
  try {
    const layers: LayerWeights[] = [];
    for (let i = 0; i < checkpoint.config.numLayers; i++) layers.push(await checkpoint.readLayer(i));
    const embedding = await checkpoint.readEmbedding();
    const finalNorm = await checkpoint.readFinalNorm();
    return createReferenceModel(checkpoint.config, layers, embedding, finalNorm, options);
  } finally {
    await checkpoint.close();
  }
}

export function createReferenceModel(
  config: BitNetConfig,
  layers: LayerWeights[],
  embedding: Float32Array,
  finalNorm: Float32Array,
  options: ReferenceOptions = {},
): ReferenceModel {
  const activationMul = options.ffnActivation === "silu" ? siluMul : relu2Mul;
  const { hiddenSize: H, intermediateSize: I, numHeads: nH, numKvHeads: nKV, headDim: D, vocabSize: V, rmsNormEps: eps } = config;
  const invFreq = ropeInvFreq(D, config.ropeTheta);
  const linearOptions: BitLinearOptions = {
    ...(config.useRmsNorm ? { rmsNormEps: config.quantRmsNormEps } : {}),
    activationBlock: options.activationBlock,
  };
  const norm = (x: Float64Array, n: number, w: Float32Array) => rmsNormRows(Float64Array.from(x), n, eps, w);

  function embed(ids: ArrayLike<number>): Float64Array {
    const h = new Float64Array(ids.length * H);
    for (let t = 0; t < ids.length; t++) {
      const id = ids[t];
      if (!Number.isInteger(id) || id < 0 || id >= V) throw new Error(`forward: token id ${id} is outside the vocabulary`);
      for (let i = 0; i < H; i++) h[t * H + i] = embedding[id * H + i];
    }
    return h;
  }

  function linear(li: number, name: LinearName, x: Float64Array): Float64Array {
    const w = layers[li][name];
    options.observeLinear?.(li, name, x, w);
    return bitLinear(x, w, linearOptions);
  }

  function layerForward(li: number, h: Float64Array, cache: KvCache, start: number, n: number): void {
    const w = layers[li];
    const x = norm(h, H, w.inputNorm);
    const q = linear(li, "q", x);
    const k = linear(li, "k", x);
    const v = linear(li, "v", x);
    for (let t = 0; t < n; t++) {
      for (let j = 0; j < nH; j++) applyRope(q, (t * nH + j) * D, start + t, invFreq);
      for (let j = 0; j < nKV; j++) applyRope(k, (t * nKV + j) * D, start + t, invFreq);
    }
    if (options.kvFloat16) {
      const [sk, sv] = [w.k.effectiveScale, w.v.effectiveScale];
      for (let i = 0; i < k.length; i++) k[i] = sk * roundToFloat16(k[i] / sk);
      for (let i = 0; i < v.length; i++) v[i] = sv * roundToFloat16(v[i] / sv);
    }
    cache.keys[li].set(k, start * nKV * D);
    cache.values[li].set(v, start * nKV * D);
    const attn = causalAttention(q, cache.keys[li], cache.values[li], start, n, config);
    // attn_sub_norm before o_proj: the difference from Llama.
    const o = linear(li, "o", rmsNormRows(attn, nH * D, eps, w.attnSubNorm));
    for (let i = 0; i < h.length; i++) h[i] += o[i];

    const x2 = norm(h, H, w.postAttentionNorm);
    const m = activationMul(linear(li, "gate", x2), linear(li, "up", x2));
    const down = linear(li, "down", rmsNormRows(m, I, eps, w.ffnSubNorm));
    for (let i = 0; i < h.length; i++) h[i] += down[i];
  }

  function run(ids: ArrayLike<number>, cache: KvCache): Float64Array {
    const n = ids.length;
    if (n === 0) throw new Error("forward: no tokens");
    const start = cache.length;
    const h = embed(ids);
    cache.reserve(start + n);
    for (let li = 0; li < layers.length; li++) layerForward(li, h, cache, start, n);
    cache.length = start + n;
    return rmsNormRows(h, H, eps, finalNorm);
  }

  function logits(hidden: Float64Array, row: number): Float64Array {
    const out = new Float64Array(V);
    const h = hidden.subarray(row * H, (row + 1) * H);
    for (let v = 0; v < V; v++) {
      // Four partial sums: the 128k-row head dominates a tiny model's time, and this halves it.
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
      const e = v * H;
      let i = 0;
      for (; i + 3 < H; i += 4) {
        d0 += h[i] * embedding[e + i];
        d1 += h[i + 1] * embedding[e + i + 1];
        d2 += h[i + 2] * embedding[e + i + 2];
        d3 += h[i + 3] * embedding[e + i + 3];
      }
      for (; i < H; i++) d0 += h[i] * embedding[e + i];
      out[v] = d0 + d1 + (d2 + d3);
    }
    return out;
  }

  const newCache = (maxPositions = config.maxPositions) => new KvCache(layers.length, nKV * D, maxPositions);

  return {
    config,
    newCache,
    run,
    logits,
    forward(ids) {
      const hidden = run(ids, newCache(Math.max(ids.length, 1)));
      return Array.from({ length: ids.length }, (_, t) => logits(hidden, t));
    },
  };
}
