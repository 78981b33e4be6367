/**
 * The safetensors header: u64 little-endian length N, then N bytes of JSON mapping each tensor name to
 * {dtype, shape, data_offsets: [begin, end)} relative to the end of the header, plus "__metadata__".
 * Hand-written rather than using a library: the npm safetensors packages read whole files into memory,
 * and we need positioned reads of one tensor at a time from a 1.2 GB file.
 */
import { CheckpointError } from "./errors";

export type SafetensorsDtype = "BF16" | "F16" | "F32" | "U8";

export const DTYPE_SIZE: Record<SafetensorsDtype, number> = { BF16: 2, F16: 2, F32: 4, U8: 1 };

export interface TensorInfo {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Absolute offset of the first data byte in the file. */
  byteOffset: number;
  byteLength: number;
}

export interface TensorSpec {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
}

/** The official implementation refuses headers above 100 MB; so do we, before allocating anything. */
export const MAX_HEADER_BYTES = 100_000_000;

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export interface ParsedHeader {
  tensors: Map<string, TensorInfo>;
  metadata: Record<string, string>;
  /** Absolute file offset where tensor data ends (what the file size must cover). */
  dataEnd: number;
}

/**
 * Validates the header JSON against the format and the file size. `label` names the file in messages.
 * Offsets must be contiguous from 0, like the reference implementation requires, so no byte is unaccounted for.
 */
export function parseHeader(json: string, headerLength: number, fileSize: number, label: string): ParsedHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new CheckpointError("bad_header", `${label} is not a valid safetensors file: its header is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new CheckpointError("bad_header", `${label} is not a valid safetensors file: its header is not a JSON object.`);
  }
  const dataStart = 8 + headerLength;
  const metadata: Record<string, string> = {};
  const entries: TensorInfo[] = [];
  const relative = new Map<string, number>();
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name === "__metadata__") {
      for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) {
        if (typeof v !== "string") throw new CheckpointError("bad_header", `${label}: __metadata__.${k} must be a string.`);
        metadata[k] = v;
      }
      continue;
    }
    const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = entry?.dtype;
    if (typeof dtype !== "string" || !(dtype in DTYPE_SIZE)) {
      throw new CheckpointError(
        "bad_dtype",
        `${label}: tensor "${name}" has dtype ${JSON.stringify(dtype)}; only BF16, F16, F32 and U8 are supported.`,
      );
    }
    const shape = entry.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new CheckpointError("bad_header", `${label}: tensor "${name}" has an invalid shape ${JSON.stringify(shape)}.`);
    }
    const offsets = entry.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[1] < offsets[0]) {
      throw new CheckpointError("bad_header", `${label}: tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}.`);
    }
    const byteLength = offsets[1] - offsets[0];
    const expected = elementCount(shape) * DTYPE_SIZE[dtype as SafetensorsDtype];
    if (byteLength !== expected) {
      throw new CheckpointError(
        "bad_header",
        `${label}: tensor "${name}" (${dtype} ${JSON.stringify(shape)}) should take ${expected} bytes but its data_offsets span ${byteLength}.`,
      );
    }
    relative.set(name, offsets[0]);
    entries.push({ name, dtype: dtype as SafetensorsDtype, shape, byteOffset: dataStart + offsets[0], byteLength });
  }
  entries.sort((a, b) => a.byteOffset - b.byteOffset || a.byteLength - b.byteLength);
  let cursor = dataStart;
  for (const t of entries) {
    if (t.byteOffset !== cursor) {
      throw new CheckpointError(
        "bad_header",
        `${label}: tensor "${t.name}" starts at data offset ${relative.get(t.name)} but the previous tensor ends at ${cursor - dataStart} (tensors must be contiguous, without gaps or overlaps).`,
      );
    }
    cursor += t.byteLength;
  }
  for (const t of entries) {
    if (t.byteOffset + t.byteLength > fileSize) {
      throw new CheckpointError(
        "truncated",
        `${label} is truncated: tensor "${t.name}" ends at byte ${t.byteOffset + t.byteLength} but the file has ${fileSize} bytes. ` +
          "The download or copy was probably interrupted: fetch the file again.",
      );
    }
  }
  return { tensors: new Map(entries.map((t) => [t.name, t])), metadata, dataEnd: cursor };
}

/** Header bytes for the given tensors, laid out contiguously in spec order, padded with spaces to 8 bytes. */
export function buildHeader(specs: readonly TensorSpec[], metadata: Record<string, string>): { bytes: Uint8Array; offsets: number[] } {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const offsets: number[] = [];
  let cursor = 0;
  for (const spec of specs) {
    if (spec.name === "__metadata__" || spec.name in header) {
      throw new CheckpointError("write_error", `Cannot write safetensors: duplicate or reserved tensor name "${spec.name}".`);
    }
    if (!(spec.dtype in DTYPE_SIZE)) throw new CheckpointError("write_error", `Cannot write tensor "${spec.name}": unsupported dtype ${spec.dtype}.`);
    if (!spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new CheckpointError("write_error", `Cannot write tensor "${spec.name}": invalid shape ${JSON.stringify(spec.shape)}.`);
    }
    const length = elementCount(spec.shape) * DTYPE_SIZE[spec.dtype];
    header[spec.name] = { dtype: spec.dtype, shape: spec.shape, data_offsets: [cursor, cursor + length] };
    offsets.push(cursor);
    cursor += length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const bytes = new Uint8Array(8 + padded).fill(0x20, 8 + json.byteLength);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(padded), true);
  bytes.set(json, 8);
  return { bytes, offsets };
}
