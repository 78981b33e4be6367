/**
 * Writes model.onnx + model.onnx.data for a weight source into `dir` (which must exist), streaming
 * each weight to the data file as soon as it is packed.
 */
import { statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ExternalDataWriter } from "./external-data";
import { GraphBuilder } from "./graph-builder";
import { encodeModel } from "./onnx-proto";
import { buildBitNetGraph, type GraphInfo, type GraphOptions, type WeightSource } from "./bitnet-graph";
import { TERNARY_GRAPH_FILE, ternaryModel } from "./ternary-graph";

export const EXTERNAL_DATA_FILE = "model.onnx.data";

/**
 * Also writes model.ternary.onnx, the graph for the project's ternary kernel (./ternary-graph.ts), over the
 * same model.onnx.data; `ternaryGraph` names it (absent when no node could take the kernel).
 */
export async function writeModelFiles(
  dir: string,
  source: WeightSource,
  options: GraphOptions,
  producerVersion: string,
): Promise<GraphInfo & { bytes: number; ternaryGraph?: string }> {
  const external = new ExternalDataWriter(path.join(dir, EXTERNAL_DATA_FILE), EXTERNAL_DATA_FILE);
  const g = new GraphBuilder(external);
  let info: GraphInfo;
  try {
    info = await buildBitNetGraph(g, source, options);
  } finally {
    external.close();
  }
  const model = g.toModel({ graphName: "bitnet", producer: { name: "bitnet-chat", version: producerVersion } });
  writeFileSync(path.join(dir, "model.onnx"), encodeModel(model));
  const ternary = ternaryModel(model, g.unitTernaryNodes);
  if (ternary) writeFileSync(path.join(dir, TERNARY_GRAPH_FILE), encodeModel(ternary));
  const files = ["model.onnx", EXTERNAL_DATA_FILE, ...(ternary ? [TERNARY_GRAPH_FILE] : [])];
  const bytes = files.reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
  return { ...info, bytes, ternaryGraph: ternary ? TERNARY_GRAPH_FILE : undefined };
}
