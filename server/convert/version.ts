/**
 * Version of the converter's output (graph, weight layout, manifest fields). Bump it whenever any of
 * them changes: ensureConverted then redoes cached conversions made by an older converter.
 * 2: graph input/output names recorded in the manifest (`graph`).
 */
export const CONVERTER_VERSION = "2";
