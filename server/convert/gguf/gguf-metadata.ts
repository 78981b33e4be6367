/**
 * Typed GGUF metadata values and their binary encoding (little-endian; strings are u64 length + UTF-8
 * bytes; arrays are u32 element type + u64 count + elements). llama.cpp checks each key's type exactly,
 * so every value says which GGUF type it is.
 */
import { GGUF_VALUE } from "./ggml-types";

export type GgufValue =
  | { type: "u32"; value: number }
  | { type: "i32"; value: number }
  | { type: "f32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: readonly string[] }
  | { type: "i32[]"; value: ArrayLike<number> };

export const u32 = (value: number): GgufValue => ({ type: "u32", value });
export const f32 = (value: number): GgufValue => ({ type: "f32", value });
export const bool = (value: boolean): GgufValue => ({ type: "bool", value });
export const str = (value: string): GgufValue => ({ type: "string", value });

/** Appends little-endian values to growing chunks; `bytes()` joins them. */
export class ByteSink {
  private chunks: Uint8Array[] = [];
  private length = 0;

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
  private fixed(bytes: number, write: (b: Buffer) => void): void {
    const b = Buffer.alloc(bytes);
    write(b);
    this.push(b);
  }
  u32 = (v: number) => this.fixed(4, (b) => b.writeUInt32LE(v));
  i32 = (v: number) => this.fixed(4, (b) => b.writeInt32LE(v));
  u64 = (v: number) => this.fixed(8, (b) => b.writeBigUInt64LE(BigInt(v)));
  f32 = (v: number) => this.fixed(4, (b) => b.writeFloatLE(v));
  string(s: string): void {
    const b = Buffer.from(s, "utf8");
    this.u64(b.length);
    this.push(b);
  }
  get size(): number {
    return this.length;
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

export function writeKeyValue(sink: ByteSink, key: string, v: GgufValue): void {
  sink.string(key);
  switch (v.type) {
    case "u32":
      if (!Number.isInteger(v.value) || v.value < 0 || v.value > 0xffffffff) throw new RangeError(`${key}: ${v.value} is not a u32`);
      sink.u32(GGUF_VALUE.UINT32);
      sink.u32(v.value);
      return;
    case "i32":
      sink.u32(GGUF_VALUE.INT32);
      sink.i32(v.value);
      return;
    case "f32":
      sink.u32(GGUF_VALUE.FLOAT32);
      sink.f32(v.value);
      return;
    case "bool":
      sink.u32(GGUF_VALUE.BOOL);
      sink.push(Uint8Array.of(v.value ? 1 : 0));
      return;
    case "string":
      sink.u32(GGUF_VALUE.STRING);
      sink.string(v.value);
      return;
    case "string[]":
      sink.u32(GGUF_VALUE.ARRAY);
      sink.u32(GGUF_VALUE.STRING);
      sink.u64(v.value.length);
      for (const s of v.value) sink.string(s);
      return;
    case "i32[]": {
      sink.u32(GGUF_VALUE.ARRAY);
      sink.u32(GGUF_VALUE.INT32);
      sink.u64(v.value.length);
      const b = Buffer.alloc(4 * v.value.length);
      for (let i = 0; i < v.value.length; i++) b.writeInt32LE(v.value[i], 4 * i);
      sink.push(b);
      return;
    }
  }
}
