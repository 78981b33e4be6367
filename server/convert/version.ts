/**
 * Version of the converter's output (graph, weight layout, manifest fields). Bump it whenever any of
 * them changes: ensureConverted then redoes cached conversions made by an older converter.
 * 2: graph input/output names recorded in the manifest (`graph`).
 * 3: one past key and one past value input per layer, [kvHeads, C, headDim], plus `past_mask` [C]
 *    (was one [L, headDim] input per layer and kv head).
 * 4: `actQuant` (exact | fast) in the manifest; no Clip after Round in the exact activation quantization.
 * 5: R sequences per call: past inputs [R, kvHeads, C, headDim], `past_mask` [R, C], flat tokens with
 *    `row_gather` / `token_gather`, `logits_index` [K] (was `num_logits_to_keep`).
 * 6: past values transposed, [R, kvHeads, headDim, C] (`graph.pastValueLayout`), multiplied as transposed B.
 * 7: `inputs_embeds` [1, T, hidden] instead of `input_ids`: the runtime reads the embedding rows from the LM
 *    head's bytes in model.onnx.data (manifest `embedding`); no GatherBlockQuantized in the graph.
 * 8: `kvDtype` (default float16): past keys/values and new rows stored as fp16, cast to fp32 inside the graph.
 * 9: the ternary projections' weight scales folded out of MatMulNBits (into the attention scores' factor,
 *    the sub-norms' eps and weights, the per-token rescale): one shared all-ones block-scale tensor (and one
 *    zero-point tensor) per shape instead of one per projection; the fp16 cache holds unscaled keys/values.
 * 10: model.ternary.onnx beside model.onnx (manifest `ternaryGraph`): the same graph with the 2-bit projections as
 *     TernaryMatMul nodes for the project's kernel (native/ternary), reading the same bytes of model.onnx.data.
 */
export const CONVERTER_VERSION = "10";
