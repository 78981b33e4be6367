/**
 * Reads a GGUF file's header, metadata and tensor infos back (and a tensor's raw bytes on request): used to
 * check exported files in tests and to validate a cached export before benchmarking it.
 */
import { open } from "node:fs/promises";
import { GGML_TYPE, GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VALUE, tensorBytes, type GgmlTypeName } from "./ggml-types";

export type GgufReadValue = number | bigint | boolean | string | GgufReadValue[];

export interface GgufTensorInfo {
  name: string;
  dims: number[];
  type: GgmlTypeName;
  /** Absolute file offset of the data. */
  offset: number;
  bytes: number;
}

export interface GgufFile {
  version: number;
  metadata: Map<string, GgufReadValue>;
  tensors: GgufTensorInfo[];
  readTensor(name: string): Promise<Uint8Array>;
}

const TYPE_NAMES = new Map<number, GgmlTypeName>(Object.entries(GGML_TYPE).map(([k, v]) => [v, k as GgmlTypeName]));

class Cursor {
  pos = 0;
  constructor(private buf: Buffer) {}
  u8 = () => this.buf.readUInt8(this.advance(1));
  i8 = () => this.buf.readInt8(this.advance(1));
  u16 = () => this.buf.readUInt16LE(this.advance(2));
  i16 = () => this.buf.readInt16LE(this.advance(2));
  u32 = () => this.buf.readUInt32LE(this.advance(4));
  i32 = () => this.buf.readInt32LE(this.advance(4));
  f32 = () => this.buf.readFloatLE(this.advance(4));
  f64 = () => this.buf.readDoubleLE(this.advance(8));
  u64 = () => this.buf.readBigUInt64LE(this.advance(8));
  i64 = () => this.buf.readBigInt64LE(this.advance(8));
  string = () => {
    const n = Number(this.u64());
    return this.buf.toString("utf8", this.advance(n), this.pos);
  };
  private advance(n: number): number {
    if (this.pos + n > this.buf.length) throw new RangeError("truncated GGUF header");
    const p = this.pos;
    this.pos += n;
    return p;
  }
}

function readValue(c: Cursor, type: number): GgufReadValue {
  switch (type) {
    case GGUF_VALUE.UINT8: return c.u8();
    case GGUF_VALUE.INT8: return c.i8();
    case GGUF_VALUE.UINT16: return c.u16();
    case GGUF_VALUE.INT16: return c.i16();
    case GGUF_VALUE.UINT32: return c.u32();
    case GGUF_VALUE.INT32: return c.i32();
    case GGUF_VALUE.FLOAT32: return c.f32();
    case GGUF_VALUE.BOOL: return c.u8() !== 0;
    case GGUF_VALUE.STRING: return c.string();
    case GGUF_VALUE.UINT64: return c.u64();
    case GGUF_VALUE.INT64: return c.i64();
    case GGUF_VALUE.FLOAT64: return c.f64();
    case GGUF_VALUE.ARRAY: {
      const inner = c.u32();
      const n = Number(c.u64());
      return Array.from({ length: n }, () => readValue(c, inner));
    }
    default:
      throw new Error(`unknown GGUF value type ${type}`);
  }
}

/** `headerBytes` must cover the whole header (the 128k-token vocabulary makes it ~8 MB); grown on demand. */
export async function readGguf(file: string, headerBytes = 16 << 20): Promise<GgufFile> {
  const handle = await open(file, "r");
  try {
    const size = (await handle.stat()).size;
    for (let want = Math.min(headerBytes, size); ; want = Math.min(want * 2, size)) {
      const buf = Buffer.alloc(want);
      await handle.read(buf, 0, want, 0);
      try {
        return parse(buf, file);
      } catch (error) {
        if (!(error instanceof RangeError) || want === size) throw error;
      }
    }
  } finally {
    await handle.close();
  }
}

function parse(buf: Buffer, file: string): GgufFile {
  const c = new Cursor(buf);
  if (c.u32() !== GGUF_MAGIC) throw new Error(`${file} is not a GGUF file (bad magic)`);
  const version = c.u32();
  const tensorCount = Number(c.u64());
  const kvCount = Number(c.u64());
  const metadata = new Map<string, GgufReadValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = c.string();
    metadata.set(key, readValue(c, c.u32()));
  }
  const infos: Omit<GgufTensorInfo, "offset" | "bytes">[] = [];
  const relative: number[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = c.string();
    const dims = Array.from({ length: c.u32() }, () => Number(c.u64()));
    const typeId = c.u32();
    const type = TYPE_NAMES.get(typeId);
    if (!type) throw new Error(`${file}: tensor ${name} has ggml type ${typeId}, which this reader does not know`);
    infos.push({ name, dims, type });
    relative.push(Number(c.u64()));
  }
  const alignment = Number(metadata.get("general.alignment") ?? GGUF_DEFAULT_ALIGNMENT);
  const dataStart = c.pos + ((alignment - (c.pos % alignment)) % alignment);
  const tensors = infos.map((t, i) => ({ ...t, offset: dataStart + relative[i], bytes: tensorBytes(t.type, t.dims) }));
  return {
    version,
    metadata,
    tensors,
    async readTensor(name) {
      const t = tensors.find((x) => x.name === name);
      if (!t) throw new Error(`${file} has no tensor ${name}`);
      const handle = await open(file, "r");
      try {
        const out = Buffer.alloc(t.bytes);
        await handle.read(out, 0, t.bytes, t.offset);
        return out;
      } finally {
        await handle.close();
      }
    },
  };
}
