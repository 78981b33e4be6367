/**
 * Streams a GGUF v3 file: header (magic, version, tensor count, metadata count), metadata, tensor infos
 * (name, dims innermost first, ggml type, offset into the data section), padding to the alignment, then
 * each tensor's bytes, each padded to the alignment. Sizes follow from dims and type, so the header is
 * written first and each tensor is produced (and freed) one at a time — the 2B export never holds more
 * than one tensor's data.
 */
import { open } from "node:fs/promises";
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VERSION, tensorBytes, GGML_TYPE, type GgmlTypeName } from "./ggml-types";
import { ByteSink, writeKeyValue, type GgufValue } from "./gguf-metadata";

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the contiguous (row) dimension, so a [out, in] matrix is [in, out]. */
  dims: number[];
  type: GgmlTypeName;
  /** The tensor's bytes, exactly tensorBytes(type, dims) long; called once, in file order. */
  data: () => Promise<Uint8Array> | Uint8Array;
}

export interface GgufContent {
  metadata: [key: string, value: GgufValue][];
  tensors: GgufTensor[];
}

const pad = (n: number, a: number) => (a - (n % a)) % a;

export async function writeGguf(file: string, content: GgufContent, onTensor?: (index: number, total: number) => void): Promise<number> {
  const alignment = GGUF_DEFAULT_ALIGNMENT;
  const names = new Set<string>();
  const header = new ByteSink();
  header.u32(GGUF_MAGIC);
  header.u32(GGUF_VERSION);
  header.u64(content.tensors.length);
  header.u64(content.metadata.length);
  for (const [key, value] of content.metadata) writeKeyValue(header, key, value);
  let offset = 0;
  const sizes: number[] = [];
  for (const t of content.tensors) {
    if (names.has(t.name)) throw new Error(`duplicate tensor name ${t.name}`);
    names.add(t.name);
    const size = tensorBytes(t.type, t.dims);
    sizes.push(size);
    header.string(t.name);
    header.u32(t.dims.length);
    for (const d of t.dims) header.u64(d);
    header.u32(GGML_TYPE[t.type]);
    header.u64(offset);
    offset += size + pad(size, alignment);
  }
  header.push(new Uint8Array(pad(header.size, alignment)));

  const handle = await open(file, "w");
  try {
    let position = 0;
    const write = async (bytes: Uint8Array) => {
      await handle.write(bytes, 0, bytes.length, position);
      position += bytes.length;
    };
    await write(header.bytes());
    for (let i = 0; i < content.tensors.length; i++) {
      const t = content.tensors[i];
      const data = await t.data();
      if (data.length !== sizes[i]) throw new Error(`tensor ${t.name}: produced ${data.length} bytes, expected ${sizes[i]}`);
      await write(data);
      const p = pad(data.length, alignment);
      if (p) await write(new Uint8Array(p));
      onTensor?.(i + 1, content.tensors.length);
    }
    return position;
  } finally {
    await handle.close();
  }
}
