/**
 * Random BitNet weights of any shape, generated layer by layer (never all at once), for kernel
 * benchmarks that do not need a checkpoint on disk: speed does not depend on the weight values.
 */
import { SHAPES, type BitNetConfig, type ModelShape } from "@/server/checkpoint/config";
import type { LayerWeightsLike, LinearWeights, WeightSource } from "@/server/convert/onnx/bitnet-graph";

/** The benchmark shapes are the generator's shapes: one definition of "the 2B shape". */
export type SyntheticShape = ModelShape;
export const SHAPE_2B: SyntheticShape = SHAPES["2b"];

export function syntheticSource(shape: SyntheticShape, seed = 1): WeightSource {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  const H = shape.hiddenSize;
  const D = H / shape.numHeads;
  const linear = (name: string, out: number, inn: number): LinearWeights => {
    const ternary = new Int8Array(out * inn);
    for (let i = 0; i < ternary.length; i += 16) {
      let r = next();
      for (let j = 0; j < 16 && i + j < ternary.length; j++, r >>>= 2) ternary[i + j] = (r & 3) === 3 ? 0 : (r & 3) - 1;
    }
    return { name, outFeatures: out, inFeatures: inn, ternary, effectiveScale: 1 + (next() % 1000) / 500 };
  };
  const norm = (n: number) => Float32Array.from({ length: n }, () => 0.5 + (next() % 1000) / 1000);
  const config = {
    hiddenSize: H,
    intermediateSize: shape.intermediateSize,
    numLayers: shape.numLayers,
    numHeads: shape.numHeads,
    numKvHeads: shape.numKvHeads,
    headDim: D,
    vocabSize: shape.vocabSize,
    rmsNormEps: 1e-5,
    ropeTheta: 500000,
    maxPositions: shape.maxPositions,
    tieWordEmbeddings: true,
    bosTokenId: 128000,
    eosTokenIds: [128001],
    linearClass: "autobitlinear",
    quantizationMode: "offline",
    useRmsNorm: false,
    quantRmsNormEps: 1e-6,
    raw: {},
  } satisfies BitNetConfig;
  const I = shape.intermediateSize;
  const kv = shape.numKvHeads * D;
  return {
    config,
    readLayer: (): LayerWeightsLike => ({
      inputNorm: norm(H),
      postAttentionNorm: norm(H),
      attnSubNorm: norm(H),
      ffnSubNorm: norm(I),
      q: linear("q_proj", H, H),
      k: linear("k_proj", kv, H),
      v: linear("v_proj", kv, H),
      o: linear("o_proj", H, H),
      gate: linear("gate_proj", I, H),
      up: linear("up_proj", I, H),
      down: linear("down_proj", H, I),
    }),
    readEmbedding: () => Float32Array.from({ length: shape.vocabSize * H }, () => ((next() % 2001) - 1000) / 25000),
    readFinalNorm: () => norm(H),
  };
}
