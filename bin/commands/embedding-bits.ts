import type { EmbeddingBits } from "@/server/convert/onnx/bitnet-graph";

/** Parses `--embedding-bits`; undefined means the converter's default. */
export function parseEmbeddingBits(value: string | undefined): EmbeddingBits | undefined {
  if (value === undefined) return undefined;
  const bits = Number(value);
  if (bits !== 4 && bits !== 8 && bits !== 16) throw new Error(`--embedding-bits must be 4, 8 or 16 (got ${value})`);
  return bits;
}
