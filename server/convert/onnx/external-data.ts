/**
 * Streams initializer bytes into `model.onnx.data` as they are produced, so the converter never
 * holds more than the tensor it is writing. Offsets are 64-byte aligned (ORT may mmap or read
 * them with aligned loads; the ONNX external-data spec recommends alignment).
 */
import { closeSync, openSync, writeSync } from "node:fs";

const ALIGN = 64;

export class ExternalDataWriter {
  private fd: number;
  private offset = 0;

  constructor(
    readonly filePath: string,
    /** The file name as written into each TensorProto (relative to model.onnx). */
    readonly location: string,
  ) {
    this.fd = openSync(filePath, "w");
  }

  /** Appends `bytes` at the next aligned offset; returns where it went. */
  append(bytes: Uint8Array): { location: string; offset: number; length: number } {
    const pad = (ALIGN - (this.offset % ALIGN)) % ALIGN;
    if (pad) {
      writeSync(this.fd, new Uint8Array(pad));
      this.offset += pad;
    }
    const start = this.offset;
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    this.offset += bytes.length;
    return { location: this.location, offset: start, length: bytes.length };
  }

  get bytesWritten(): number {
    return this.offset;
  }

  close(): void {
    closeSync(this.fd);
  }
}
