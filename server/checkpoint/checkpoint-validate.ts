/**
 * Checks a safetensors header against the tensors the config implies (names, shapes, dtypes), before any
 * weight is read, so a bad checkpoint fails in milliseconds with a message naming the culprit.
 */
import type { BitNetConfig } from "./config";
import { expectedTensors } from "./checkpoint-layout";
import { CheckpointError } from "./errors";
import type { TensorInfo } from "./safetensors-header";

const FLOAT_DTYPES = new Set(["BF16", "F16", "F32"]);

export function validateTensors(config: BitNetConfig, tensors: Map<string, TensorInfo>, label: string): void {
  if (tensors.has("lm_head.weight")) {
    throw new CheckpointError(
      "extra_tensor",
      `${label} contains "lm_head.weight", but BitNet's LM head is tied to the embedding (tie_word_embeddings) and untied heads are unsupported.`,
    );
  }
  const expected = expectedTensors(config);
  const expectedNames = new Set(expected.map((t) => t.name));
  const missing = expected.filter((t) => !tensors.has(t.name)).map((t) => t.name);
  if (missing.length > 0) {
    throw new CheckpointError(
      "missing_tensor",
      `${label} is missing ${missing.length} tensor${missing.length > 1 ? "s" : ""} required by config.json ` +
        `(${config.numLayers} layers): ${listNames(missing)}. Is the download complete, and does config.json belong to this file?`,
    );
  }
  const extra = [...tensors.keys()].filter((name) => !expectedNames.has(name));
  if (extra.length > 0) {
    throw new CheckpointError(
      "extra_tensor",
      `${label} has ${extra.length} unexpected tensor${extra.length > 1 ? "s" : ""} for a ${config.numLayers}-layer BitNet checkpoint: ${listNames(extra)}.`,
    );
  }
  for (const spec of expected) {
    const actual = tensors.get(spec.name)!;
    const isScale = spec.name.endsWith("_scale");
    const shapeOk = isScale ? actual.shape.length <= 1 && actual.shape.every((d) => d === 1) : sameShape(actual.shape, spec.shape);
    if (!shapeOk) {
      throw new CheckpointError(
        "bad_shape",
        `${label}: tensor "${spec.name}" has shape ${JSON.stringify(actual.shape)}, expected ${isScale ? "[1] or []" : JSON.stringify(spec.shape)} ` +
          "for the dimensions in config.json.",
      );
    }
    // Packed weights must be U8. Float tensors may also come as F16/F32 (e.g. re-saved by a tool): same values.
    const dtypeOk = spec.dtype === "U8" ? actual.dtype === "U8" : FLOAT_DTYPES.has(actual.dtype);
    if (!dtypeOk) {
      throw new CheckpointError(
        "bad_dtype",
        `${label}: tensor "${spec.name}" is ${actual.dtype}, expected ${spec.dtype === "U8" ? "U8 (2-bit packed ternary weights)" : "BF16 (or F16/F32)"}.`,
      );
    }
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 5).map((n) => `"${n}"`).join(", ");
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}
