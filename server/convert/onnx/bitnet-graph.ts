/**
 * The BitNet b1.58 forward pass (docs/model-format.md §3) as an ONNX graph. Weights are read one
 * layer at a time from a WeightSource and streamed to external data, so building the 2B graph never
 * holds more than one layer's unpacked tensors (plus the embedding while it is quantized).
 * Graph inputs/outputs are documented in server/checkpoint/onnx-manifest.ts; their names in ./graph-names.ts.
 */
import type { BitNetConfig } from "@/server/checkpoint/config";
import { DataType } from "./onnx-proto";
import { GraphBuilder } from "./graph-builder";
import { actQuant, addRmsNorm, matMulNBits, matMulNBitsNode, rmsNorm, sentinelLayout, splitLast } from "./ops";
import { attention, ropeTables, type AttentionShared } from "./attention";
import { cacheNames, GRAPH_NAMES } from "./graph-names";
import { blockSizeFor, packTernary2Bit, quantizeBlocks, type TernaryMatrix } from "./quantize";

export interface LinearWeights extends TernaryMatrix {
  name: string;
}

export interface LayerWeightsLike {
  inputNorm: Float32Array;
  postAttentionNorm: Float32Array;
  attnSubNorm: Float32Array;
  ffnSubNorm: Float32Array;
  q: LinearWeights;
  k: LinearWeights;
  v: LinearWeights;
  o: LinearWeights;
  gate: LinearWeights;
  up: LinearWeights;
  down: LinearWeights;
}

/** What the graph needs from a checkpoint (server/checkpoint/checkpoint.ts satisfies it). */
export interface WeightSource {
  config: BitNetConfig;
  readLayer(i: number): LayerWeightsLike | Promise<LayerWeightsLike>;
  readEmbedding(): Float32Array | Promise<Float32Array>;
  readFinalNorm(): Float32Array | Promise<Float32Array>;
}

export type EmbeddingBits = 4 | 8 | 16;

/**
 * How BitLinear inputs are quantized to int8. `exact`: BitNet's per-token absmax, fed to the int8
 * kernel in the sentinel layout so it passes through bit for bit (~12 small ops per BitLinear group).
 * `fast`: the normalized activations go straight into MatMulNBits, whose int8 path quantizes them per
 * weight block (absmax/127 per blockSize columns) — finer than per token, but not BitNet's rounding.
 */
export type ActQuant = "exact" | "fast";

/**
 * How the KV cache stores keys and values. `float16`: half the bytes that attention reads per token at a
 * long context (where decode is bandwidth-bound: docs/performance.md "fp16 KV cache"); the graph rounds the
 * new keys and values to fp16 before they are used, so a token attends to the same values whether they came
 * from the cache or from its own pass. `float32`: stored as computed.
 */
export type KvDtype = "float16" | "float32";

export interface GraphOptions {
  /** 4/8: block-quantized, shared by the runtime's embedding lookup and the LM head; 16: unquantized (stored fp32). */
  embeddingBits: EmbeddingBits;
  /** MatMulNBits block size for the ternary linears (scales are per row, so any size is exact). */
  blockSize: number;
  /** MatMulNBits accuracy_level: 0 = fp32 activations (faithful), 4 = int8 re-quantized per block. */
  accuracyLevel: number;
  /** MatMulNBits accuracy_level of the LM head (4 re-quantizes the final hidden state to int8 per block). */
  lmHeadAccuracyLevel?: number;
  /** Fuse q/k/v and gate/up into one MatMulNBits each (same input, one activation quantization). */
  fuseProjections: boolean;
  /** Activation quantization of the ternary linears (default exact). */
  actQuant?: ActQuant;
  /** KV-cache storage type (default float32). */
  kvDtype?: KvDtype;
  onLayer?: (done: number, total: number) => void;
}

export interface GraphInfo {
  embeddingBlockSize: number;
  /** Byte offsets in the external data of the LM head's weights, which the runtime reads as embedding rows. */
  embedding: { offset: number; scalesOffset?: number };
}

const f32 = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export async function buildBitNetGraph(g: GraphBuilder, source: WeightSource, opts: GraphOptions): Promise<GraphInfo> {
  const c = source.config;
  const { hiddenSize: H, numHeads: nH, numKvHeads: nKV, headDim: D, vocabSize: V, rmsNormEps: eps } = c;
  const mm = { accuracyLevel: opts.accuracyLevel };

  const inputsEmbeds = g.input(GRAPH_NAMES.inputsEmbeds, DataType.FLOAT, [1, "T", H]);
  const positionIds = g.input(GRAPH_NAMES.positionIds, DataType.INT64, [1, "T"]);
  const causalMask = g.input(GRAPH_NAMES.causalMask, DataType.FLOAT, ["RS", "S"]);
  const logitsIndex = g.input(GRAPH_NAMES.logitsIndex, DataType.INT64, ["K"]);
  const pastMask = g.input(GRAPH_NAMES.pastMask, DataType.FLOAT, ["R", "C"]);
  const rowGather = g.input(GRAPH_NAMES.rowGather, DataType.INT64, ["RxS"]);
  const tokenGather = g.input(GRAPH_NAMES.tokenGather, DataType.INT64, ["T"]);
  const kvType = opts.kvDtype === "float16" ? DataType.FLOAT16 : DataType.FLOAT;
  for (let i = 0; i < c.numLayers; i++) {
    g.input(cacheNames.pastKey(i), kvType, ["R", nKV, "C", D]);
    g.input(cacheNames.pastValue(i), kvType, ["R", nKV, D, "C"]);
  }

  const rope = ropeTables(c.maxPositions, D, c.ropeTheta);
  const i64 = (label: string, values: number[]) => g.constant(label, DataType.INT64, [values.length], values);
  const dim = (x: string, axis: number, label: string) => g.op("Shape", [x], label, { start: axis, end: axis + 1 });
  const R = dim(pastMask, 0, "rows");
  const capacity = dim(pastMask, 1, "past_capacity");
  const queryRows = dim(causalMask, 0, "query_rows"); // rep * S
  const newLen = dim(causalMask, 1, "new_len"); // S, the padded row length
  // One [R, 1, rep*S, C+S] mask for all layers: each row's past mask repeated for its query rows, next to
  // the causal mask among the row's new positions.
  const one = i64("one_1d", [1]);
  const pastRows = g.op(
    "Expand",
    [g.op("Unsqueeze", [pastMask, i64("axes_1_2", [1, 2])], "past_mask_4d"), g.op("Concat", [R, one, queryRows, capacity], "past_mask_shape", { axis: 0 })],
    "past_mask_rows",
  );
  const newRows = g.op("Expand", [causalMask, g.op("Concat", [R, one, queryRows, newLen], "causal_mask_shape", { axis: 0 })], "causal_mask_rows");
  const rowShapes = new Map<string, string>();
  const shared: AttentionShared = {
    positionIds,
    mask: g.op("Concat", [pastRows, newRows], "attention_mask", { axis: -1 }),
    rowGather,
    tokenGather,
    rowShape: (_label, dims) => {
      const key = dims.join("_");
      let shape = rowShapes.get(key);
      if (!shape) {
        shape = g.op("Concat", [i64("minus_one_1d", [-1]), newLen, i64(`dims_${key}`, dims)], `row_shape_${key}`, { axis: 0 });
        rowShapes.set(key, shape);
      }
      return shape;
    },
    cos: g.weight("rope.cos", DataType.FLOAT, [c.maxPositions, D / 2], f32(rope.cos)),
    sin: g.weight("rope.sin", DataType.FLOAT, [c.maxPositions, D / 2], f32(rope.sin)),
    splitPastNew: g.op("Concat", [capacity, newLen], "split_past_new", { axis: 0 }),
  };

  // Tied embedding / LM head, quantized once. The graph holds it only as the LM head's weights: the runtime
  // looks the embedding rows up in the same bytes itself (manifest `embedding`), so onnxruntime can drop its
  // mapping of them once the head is prepacked (a Gather here kept every looked-up row's pages resident).
  const embedding = await source.readEmbedding();
  let embeddingBlockSize = 0;
  const hidden = inputsEmbeds;
  let lmHead: (x: string) => string;
  let layout: GraphInfo["embedding"];
  if (opts.embeddingBits === 16) {
    const e = g.weight("lm_head.weight", DataType.FLOAT, [V, H], f32(embedding));
    layout = { offset: g.externalOffset(e) };
    lmHead = (x) => {
      const x2 = g.op("Reshape", [x, g.constant("shape_rows", DataType.INT64, [2], [-1, H])], "lm_head/flatten");
      const y = g.op("Gemm", [x2, e], "lm_head", { transB: 1 });
      return g.op("Reshape", [y, g.constant("shape_logits", DataType.INT64, [3], [1, -1, V])], "lm_head/unflatten");
    };
  } else {
    const bits = opts.embeddingBits;
    embeddingBlockSize = blockSizeFor(H, opts.blockSize);
    const bs = embeddingBlockSize;
    const q = quantizeBlocks(embedding, V, H, bits, bs);
    // MatMulNBits' B [V, H/bs, bs*bits/8] is, row by row, the embedding's [V, H*bits/8] codes.
    const lmB = g.weight("lm_head.qweight", DataType.UINT8, [V, H / bs, (bs * bits) / 8], q.b);
    const lmScales = g.weight("lm_head.scales", DataType.FLOAT, [(V * H) / bs], f32(q.scales));
    layout = { offset: g.externalOffset(lmB), scalesOffset: g.externalOffset(lmScales) };
    lmHead = (x) => matMulNBitsNode(g, [x, lmB, lmScales], { n: V, k: H, bits, blockSize: bs }, "lm_head", { accuracyLevel: opts.lmHeadAccuracyLevel ?? opts.accuracyLevel });
  }

  // int8 kernels (accuracy_level > 0) get, in exact mode, the integer activations in the sentinel
  // layout and the 1/s per token afterwards, in fast mode the float activations (the kernel quantizes
  // them per block); the fp32 kernel gets the dequantized q/s like the reference.
  const int8Kernel = opts.accuracyLevel > 0;
  const fast = opts.actQuant === "fast";
  if (fast && !int8Kernel) throw new Error("act-quant fast needs the int8 kernel (accuracy level 4)");
  const sentinel = int8Kernel && !fast;
  /**
   * BitLinear(s) sharing the input x [1, S, size]: one activation quantization, then the projections,
   * UNSCALED — ternary weights times the quantized activations — unless `outScale` is given (single
   * projections only, see "Scales" below): in fast mode it is folded into the inner RMSNorm's weight of
   * models that have one (otherwise the caller folded it into the sub-norm before), in exact mode into the
   * per-token rescale, so the integers BitNet's quantization produces stay exactly what they were.
   */
  const linears = (x: string, size: number, parts: LinearWeights[], name: string, outScale = 1): string[] => {
    let input = x;
    if (c.useRmsNorm) {
      const weight = g.constant(`norm_scale_${size}`, DataType.FLOAT, [size], new Float32Array(size).fill(fast ? outScale : 1));
      input = rmsNorm(g, x, weight, c.quantRmsNormEps, `${name}/rms`);
    }
    let a = input;
    let finish: (y: string, label: string) => string = (y) => y;
    if (!fast) {
      const aq = actQuant(g, input, `${name}/act_quant`);
      const s = outScale === 1 ? aq.s : g.op("Mul", [aq.s, g.constant(`${name}/inv_scale`, DataType.FLOAT, [], [1 / outScale])], `${name}/fold_scale`);
      a = sentinel ? sentinelLayout(g, aq.q, size, opts.blockSize, `${name}/layout`) : g.op("Div", [aq.q, s], `${name}/dequant`);
      if (sentinel) finish = (y, label) => g.op("Div", [y, s], `${label}/rescale`);
    }
    const pack = (ps: LinearWeights[]) => packTernary2Bit(ps, opts.blockSize, { sentinel, unitScales: true });
    const shared = { ...mm, shareUnitScales: true };
    if (opts.fuseProjections && parts.length > 1) {
      const y = finish(matMulNBits(g, a, pack(parts), name, shared), name);
      return splitLast(g, y, parts.map((p) => p.outFeatures), `${name}/split`);
    }
    return parts.map((p, j) => {
      const label = parts.length > 1 ? `${name}/${j}` : name;
      return finish(matMulNBits(g, a, pack([p]), label, shared), label);
    });
  };

  /*
   * Scales. Each BitLinear's output is its ternary product times the matrix's scale s. Rather than store
   * s in every MatMulNBits block (per-block tensors that onnxruntime keeps resident twice: ≈ 130 MB for
   * the 2B model), the graph multiplies the products unscaled and moves each s to where it costs
   * nothing, exactly in real arithmetic:
   * - q, k: into the attention scores' factor (RoPE is linear): alpha = s_q·s_k/√D.
   * - v: attention is linear in v, and attn_sub_norm follows: RMSNorm_eps(s·y) = RMSNorm_{eps/s²}(y).
   * - gate, up: relu²(s_g·g)·(s_u·u) = s_g²·s_u·relu²(g)·u (s > 0), then ffn_sub_norm: eps/(s_g²·s_u)².
   * - o, down: in exact mode into the per-token rescale (y/s_tok becomes y/(s_tok/s)); in fast mode, where
   *   the kernel's per-block activation quantization is homogeneous (Q(s·x) = s·Q(x)), into the linear's
   *   input: the sub-norm's weight before it, or for models with an inner RMSNorm in BitLinear
   *   (autobitlinear) that norm's weight.
   */
  const scaleOf = (wl: LinearWeights): number => {
    const s = wl.effectiveScale;
    if (!(s > 0) || !Number.isFinite(s)) throw new Error(`${wl.name}: weight scale ${s} is not a positive number`);
    return s;
  };
  /** Where o's and down's scales go: the sub-norm's weight (fast mode, no inner RMSNorm), else `linears`' outScale. */
  const inSubNorm = fast && !c.useRmsNorm;
  const scaledNorm = (weights: Float32Array, s: number) => (inSubNorm && s !== 1 ? weights.map((x) => x * s) : weights);
  const outScale = (s: number) => (inSubNorm ? 1 : s);

  let residual = hidden;
  let pendingDelta: string | undefined;
  for (let i = 0; i < c.numLayers; i++) {
    const w = await source.readLayer(i);
    const p = `layers.${i}`;
    const norm = (x: Float32Array, label: string) => g.weight(`${p}.${label}`, DataType.FLOAT, [x.length], f32(x));
    let x: string;
    if (pendingDelta) [x, residual] = addRmsNorm(g, residual, pendingDelta, norm(w.inputNorm, "input_layernorm"), eps, `${p}/input_norm`);
    else x = rmsNorm(g, residual, norm(w.inputNorm, "input_layernorm"), eps, `${p}/input_norm`);

    const qkvParts = linears(x, H, [w.q, w.k, w.v], `${p}/attn/qkv`);
    const qkv = qkvParts.length === 1 ? qkvParts[0] : g.op("Concat", qkvParts, `${p}/attn/qkv_concat`, { axis: -1 });
    const [sQ, sK, sV, sO] = [w.q, w.k, w.v, w.o].map(scaleOf);
    const attn = attention(g, qkv, i, { numHeads: nH, numKvHeads: nKV, headDim: D, scoreScale: sQ * sK, kvFloat16: kvType === DataType.FLOAT16 }, shared, `${p}/attn`);
    const attnNormed = rmsNorm(g, attn, norm(scaledNorm(w.attnSubNorm, sO), "attn_sub_norm"), eps / (sV * sV), `${p}/attn/sub_norm`);
    const [o] = linears(attnNormed, nH * D, [w.o], `${p}/attn/o`, outScale(sO));
    const [x2, afterAttn] = addRmsNorm(g, residual, o, norm(w.postAttentionNorm, "post_attention_layernorm"), eps, `${p}/post_norm`);
    residual = afterAttn;

    const [gate, up] = linears(x2, H, [w.gate, w.up], `${p}/mlp/gate_up`);
    const relu = g.op("Relu", [gate], `${p}/mlp/relu`);
    const act = g.op("Mul", [g.op("Mul", [relu, relu], `${p}/mlp/relu2`), up], `${p}/mlp/gated`);
    const [sG, sU, sD] = [w.gate, w.up, w.down].map(scaleOf);
    const mlpScale = sG * sG * sU;
    const mNormed = rmsNorm(g, act, norm(scaledNorm(w.ffnSubNorm, sD), "ffn_sub_norm"), eps / (mlpScale * mlpScale), `${p}/mlp/sub_norm`);
    [pendingDelta] = linears(mNormed, c.intermediateSize, [w.down], `${p}/mlp/down`, outScale(sD));
    opts.onLayer?.(i + 1, c.numLayers);
  }

  // Only the tokens listed in `logits_index` reach the final norm and the LM head.
  const lastResidual = g.op("Gather", [residual, logitsIndex], "keep/residual", { axis: 1 });
  const lastDelta = g.op("Gather", [pendingDelta!, logitsIndex], "keep/delta", { axis: 1 });
  const finalNorm = await source.readFinalNorm();
  const [normed] = addRmsNorm(g, lastResidual, lastDelta, g.weight("norm.weight", DataType.FLOAT, [H], f32(finalNorm)), eps, "final_norm");
  g.node("Identity", [lmHead(normed)], { name: "logits_out", outputs: [GRAPH_NAMES.logits], exactOutputs: true });

  g.output(GRAPH_NAMES.logits, DataType.FLOAT, [1, "K", V]);
  for (let i = 0; i < c.numLayers; i++) {
    g.output(cacheNames.newKey(i), kvType, [1, "T", nKV * D]);
    g.output(cacheNames.newValue(i), kvType, [1, "T", nKV * D]);
  }
  return { embeddingBlockSize, embedding: layout };
}
