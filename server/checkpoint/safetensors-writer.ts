/**
 * Streaming safetensors writer: the header is computed from the specs up front, then tensor data is appended
 * in spec order. Everything goes to `<path>.partial`, renamed into place by close(), so a reader never
 * sees half a file; abort() removes the partial file.
 */
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { CheckpointError } from "./errors";
import { buildHeader, DTYPE_SIZE, elementCount, type TensorSpec } from "./safetensors-header";

export interface SafetensorsWriter {
  /** Writes one whole tensor; tensors must come in spec order and `data` must have its exact byte length. */
  write(name: string, data: Uint8Array): Promise<void>;
  /** Appends part of a tensor (for tensors too big to build in one buffer); the parts must add up exactly. */
  writeChunk(name: string, data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

export async function createSafetensorsWriter(
  path: string,
  specs: readonly TensorSpec[],
  metadata: Record<string, string> = {},
): Promise<SafetensorsWriter> {
  const { bytes } = buildHeader(specs, { format: "pt", ...metadata });
  const partial = `${path}.partial`;
  const fh = await open(partial, "w");
  try {
    await writeAll(fh, bytes, 0);
  } catch (error) {
    await fh.close().catch(() => {});
    await rm(partial, { force: true });
    throw error;
  }
  return new Writer(path, partial, fh, specs, bytes.byteLength);
}

class Writer implements SafetensorsWriter {
  private index = 0;
  /** Bytes of the current tensor written so far. */
  private written = 0;
  private finished = false;

  constructor(
    private readonly path: string,
    private readonly partial: string,
    private readonly fh: FileHandle,
    private readonly specs: readonly TensorSpec[],
    private position: number,
  ) {}

  private expectedLength(spec: TensorSpec): number {
    return elementCount(spec.shape) * DTYPE_SIZE[spec.dtype];
  }

  private current(name: string): TensorSpec {
    if (this.finished) throw new CheckpointError("write_error", `Cannot write tensor "${name}": the writer is closed.`);
    const spec = this.specs[this.index];
    if (!spec) throw new CheckpointError("write_error", `Cannot write tensor "${name}": all ${this.specs.length} tensors are already written.`);
    if (spec.name !== name) {
      throw new CheckpointError("write_error", `Tensors must be written in spec order: expected "${spec.name}" next, got "${name}".`);
    }
    return spec;
  }

  async write(name: string, data: Uint8Array): Promise<void> {
    const spec = this.current(name);
    const expected = this.expectedLength(spec);
    if (this.written !== 0 || data.byteLength !== expected) {
      throw new CheckpointError(
        "write_error",
        `Tensor "${name}" (${spec.dtype} ${JSON.stringify(spec.shape)}) needs ${expected} bytes, got ${data.byteLength}.`,
      );
    }
    await this.append(spec, data);
  }

  async writeChunk(name: string, data: Uint8Array): Promise<void> {
    const spec = this.current(name);
    const expected = this.expectedLength(spec);
    if (this.written + data.byteLength > expected) {
      throw new CheckpointError("write_error", `Tensor "${name}" needs ${expected} bytes; this chunk would make it ${this.written + data.byteLength}.`);
    }
    await this.append(spec, data);
  }

  private async append(spec: TensorSpec, data: Uint8Array): Promise<void> {
    await writeAll(this.fh, data, this.position);
    this.position += data.byteLength;
    this.written += data.byteLength;
    if (this.written === this.expectedLength(spec)) {
      this.index++;
      this.written = 0;
    }
  }

  async close(): Promise<void> {
    if (this.finished) return;
    if (this.index < this.specs.length) {
      const missing = this.specs[this.index].name;
      await this.abort();
      throw new CheckpointError("write_error", `Closed before every tensor was written (next was "${missing}"); nothing was saved.`);
    }
    this.finished = true;
    await this.fh.sync();
    await this.fh.close();
    await rename(this.partial, this.path);
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.fh.close().catch(() => {});
    await rm(this.partial, { force: true });
  }
}

async function writeAll(fh: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.byteLength) {
    const { bytesWritten } = await fh.write(data, done, Math.min(data.byteLength - done, 1 << 30), position + done);
    done += bytesWritten;
  }
}
