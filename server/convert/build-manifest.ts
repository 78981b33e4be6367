/** The manifest the converter writes next to model.onnx (schema: server/checkpoint/onnx-manifest.ts). */
import type { BitNetConfig } from "@/server/checkpoint/config";
import type { BitNetManifest } from "@/server/checkpoint/onnx-manifest";
import type { GraphInfo, GraphOptions } from "./onnx/bitnet-graph";
import { GRAPH_NAMES } from "./onnx/graph-names";
import { CONVERTER_VERSION } from "./version";
import { EXTERNAL_DATA_FILE } from "./onnx/write-model";

export interface ManifestInput {
  config: BitNetConfig;
  options: Pick<GraphOptions, "embeddingBits" | "blockSize" | "accuracyLevel" | "lmHeadAccuracyLevel" | "fuseProjections" | "actQuant" | "kvDtype">;
  info: GraphInfo & { ternaryGraph?: string };
  source: BitNetManifest["source"];
  eosTokenIds: number[];
}

export function buildManifest({ config, options, info, source, eosTokenIds }: ManifestInput): BitNetManifest {
  return {
    converterVersion: CONVERTER_VERSION,
    source,
    embeddingBits: options.embeddingBits,
    embeddingBlockSize: info.embeddingBlockSize,
    embedding: { file: EXTERNAL_DATA_FILE, ...info.embedding },
    blockSize: options.blockSize,
    accuracyLevel: options.accuracyLevel,
    lmHeadAccuracyLevel: options.lmHeadAccuracyLevel,
    fuseProjections: options.fuseProjections,
    actQuant: options.actQuant ?? "exact",
    kvDtype: options.kvDtype ?? "float32",
    numLayers: config.numLayers,
    hiddenSize: config.hiddenSize,
    numHeads: config.numHeads,
    numKvHeads: config.numKvHeads,
    headDim: config.headDim,
    vocabSize: config.vocabSize,
    maxPositions: config.maxPositions,
    bosTokenId: config.bosTokenId,
    eosTokenIds,
    graph: GRAPH_NAMES,
    ternaryGraph: info.ternaryGraph,
    createdAt: new Date().toISOString(),
  };
}
