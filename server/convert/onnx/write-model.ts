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

export const EXTERNAL_DATA_FILE = "model.onnx.data";

export async function writeModelFiles(dir: string, source: WeightSource, options: GraphOptions, producerVersion: string): Promise<GraphInfo & { bytes: number }> {
  const external = new ExternalDataWriter(path.join(dir, EXTERNAL_DATA_FILE), EXTERNAL_DATA_FILE);
  const g = new GraphBuilder(external);
  let info: GraphInfo;
  try {
    info = await buildBitNetGraph(g, source, options);
  } finally {
    external.close();
  }
  writeFileSync(path.join(dir, "model.onnx"), encodeModel(g.toModel({ graphName: "bitnet", producer: { name: "bitnet-chat", version: producerVersion } })));
  const bytes = statSync(path.join(dir, "model.onnx")).size + statSync(path.join(dir, EXTERNAL_DATA_FILE)).size;
  return { ...info, bytes };
}
