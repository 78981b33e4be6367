/**
 * The ggml tensor types and GGUF metadata value types this exporter writes, with their ids and block
 * geometry as ggml defines them (ggml/include/ggml.h `enum ggml_type`, ggml/src/ggml-common.h block
 * structs, gguf.h `enum gguf_type`). docs/gguf-export.md describes each block layout byte by byte.
 */

/** ggml_type ids (stable: they are stored in every GGUF tensor info). */
export const GGML_TYPE = { F32: 0, F16: 1, Q8_0: 8, Q6_K: 14, TQ2_0: 35 } as const;
export type GgmlTypeName = keyof typeof GGML_TYPE;

/** Elements per block and bytes per block (ggml's type traits: blck_size, type_size). */
export const GGML_BLOCK: Record<GgmlTypeName, { elements: number; bytes: number }> = {
  F32: { elements: 1, bytes: 4 },
  F16: { elements: 1, bytes: 2 },
  // block_q8_0 { ggml_half d; int8_t qs[32]; }
  Q8_0: { elements: 32, bytes: 34 },
  // block_q6_K { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; ggml_half d; }
  Q6_K: { elements: 256, bytes: 210 },
  // block_tq2_0 { uint8_t qs[64]; ggml_half d; }
  TQ2_0: { elements: 256, bytes: 66 },
};

/** gguf_type ids of metadata values. */
export const GGUF_VALUE = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
export const GGUF_VERSION = 3;
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Bytes of a tensor of `type` whose innermost dimension is dims[0] (ggml requires it to fill whole blocks). */
export function tensorBytes(type: GgmlTypeName, dims: readonly number[]): number {
  const { elements, bytes } = GGML_BLOCK[type];
  if (dims[0] % elements !== 0) throw new RangeError(`${type} needs rows of a multiple of ${elements} values, got ${dims[0]}`);
  const count = dims.reduce((a, b) => a * b, 1);
  return (count / elements) * bytes;
}
