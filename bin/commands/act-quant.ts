import type { ActQuant } from "@/server/convert/onnx/bitnet-graph";

/** Parses `--act-quant`; undefined means the converter's default. */
export function parseActQuant(value: string | undefined): ActQuant | undefined {
  if (value === undefined) return undefined;
  if (value !== "exact" && value !== "fast") throw new Error(`--act-quant must be exact or fast (got ${value})`);
  return value;
}
