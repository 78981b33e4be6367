/**
 * The names this converter gives the graph's inputs and outputs. They are written into the manifest
 * (`graph`), which is how the runtime learns them; nothing outside server/convert imports this file.
 */
import { graphName, type GraphNames } from "@/server/checkpoint/onnx-manifest";

export const GRAPH_NAMES: GraphNames = {
  inputsEmbeds: "inputs_embeds",
  positionIds: "position_ids",
  causalMask: "causal_mask",
  logitsIndex: "logits_index",
  pastMask: "past_mask",
  rowGather: "row_gather",
  tokenGather: "token_gather",
  pastKey: "past_key.{layer}",
  pastValue: "past_value.{layer}",
  pastValueLayout: "R,kvHeads,headDim,C",
  logits: "logits",
  newKey: "new_key.{layer}",
  newValue: "new_value.{layer}",
};

/** Per-layer cache input/output names as the graph builder uses them. */
export const cacheNames = {
  pastKey: (layer: number) => graphName(GRAPH_NAMES.pastKey, { layer }),
  pastValue: (layer: number) => graphName(GRAPH_NAMES.pastValue, { layer }),
  newKey: (layer: number) => graphName(GRAPH_NAMES.newKey, { layer }),
  newValue: (layer: number) => graphName(GRAPH_NAMES.newValue, { layer }),
};
