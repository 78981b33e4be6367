/**
 * Streaming safetensors access: the reader validates the header against the file size up front, then reads
 * one tensor at a time with positioned reads (never the whole file); the writer lives in safetensors-writer.ts.
 */
import { open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { bf16ToFloat32, f16ToFloat32 } from "./bf16";
import { CheckpointError } from "./errors";
import { MAX_HEADER_BYTES, parseHeader, type TensorInfo } from "./safetensors-header";

export type { SafetensorsDtype, TensorInfo, TensorSpec } from "./safetensors-header";
export { createSafetensorsWriter, type SafetensorsWriter } from "./safetensors-writer";

export interface SafetensorsReader {
  readonly path: string;
  readonly fileSize: number;
  readonly tensors: Map<string, TensorInfo>;
  readonly metadata: Record<string, string>;
  readBytes(name: string): Promise<Uint8Array>;
  /** BF16 / F16 / F32 tensors widened to f32. */
  readFloat32(name: string): Promise<Float32Array>;
  close(): Promise<void>;
}

export async function openSafetensors(filePath: string): Promise<SafetensorsReader> {
  const label = path.basename(filePath);
  let fh: FileHandle;
  try {
    fh = await open(filePath, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new CheckpointError("not_found", `${filePath} does not exist.`, { cause: error });
    }
    throw error;
  }
  try {
    const fileSize = (await fh.stat()).size;
    if (fileSize < 8) {
      throw new CheckpointError("truncated", `${label} is truncated: it has ${fileSize} bytes, fewer than the 8-byte safetensors header length.`);
    }
    const lengthBytes = await readExactly(fh, 8, 0);
    const headerLength = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8).getBigUint64(0, true);
    if (headerLength > BigInt(MAX_HEADER_BYTES)) {
      throw new CheckpointError(
        "bad_header",
        `${label} is not a valid safetensors file: its header claims ${headerLength} bytes (the limit is ${MAX_HEADER_BYTES}).`,
      );
    }
    const n = Number(headerLength);
    if (8 + n > fileSize) {
      throw new CheckpointError("truncated", `${label} is truncated: its header needs ${8 + n} bytes but the file has ${fileSize} bytes.`);
    }
    const json = new TextDecoder().decode(await readExactly(fh, n, 8));
    const header = parseHeader(json, n, fileSize, label);
    if (header.dataEnd < fileSize) {
      throw new CheckpointError(
        "bad_header",
        `${label} is not a valid safetensors file: it has ${fileSize - header.dataEnd} unexpected bytes after the last tensor.`,
      );
    }
    return new Reader(filePath, label, fh, fileSize, header.tensors, header.metadata);
  } catch (error) {
    await fh.close();
    throw error;
  }
}

class Reader implements SafetensorsReader {
  constructor(
    readonly path: string,
    private readonly label: string,
    private readonly fh: FileHandle,
    readonly fileSize: number,
    readonly tensors: Map<string, TensorInfo>,
    readonly metadata: Record<string, string>,
  ) {}

  private info(name: string): TensorInfo {
    const info = this.tensors.get(name);
    if (!info) throw new CheckpointError("missing_tensor", `${this.label} has no tensor "${name}".`);
    return info;
  }

  async readBytes(name: string): Promise<Uint8Array> {
    const info = this.info(name);
    return readExactly(this.fh, info.byteLength, info.byteOffset, () =>
      new CheckpointError("truncated", `${this.label} is truncated: tensor "${name}" ends at byte ${info.byteOffset + info.byteLength} but the file ended sooner (it changed after it was opened).`),
    );
  }

  async readFloat32(name: string): Promise<Float32Array> {
    const info = this.info(name);
    const bytes = await this.readBytes(name);
    switch (info.dtype) {
      case "BF16":
        return bf16ToFloat32(bytes);
      case "F16":
        return f16ToFloat32(bytes);
      case "F32":
        // readExactly returns a fresh buffer at offset 0, so the view is aligned.
        return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      default:
        throw new CheckpointError("bad_dtype", `${this.label}: tensor "${name}" is ${info.dtype}, not a floating-point tensor.`);
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

async function readExactly(fh: FileHandle, length: number, position: number, onShort?: () => Error): Promise<Uint8Array> {
  const buffer = new Uint8Array(new ArrayBuffer(length));
  let done = 0;
  while (done < length) {
    // Reads are capped per call: Node rejects single reads above 2 GiB and short reads happen anyway.
    const { bytesRead } = await fh.read(buffer, done, Math.min(length - done, 1 << 30), position + done);
    if (bytesRead === 0) throw onShort?.() ?? new CheckpointError("truncated", `Unexpected end of file at byte ${position + done}.`);
    done += bytesRead;
  }
  return buffer;
}
