import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { openSafetensors } from "@/server/checkpoint/safetensors";
import { measureMemoryBandwidth } from "./memory-bandwidth";
import { readWeightFootprint } from "./weight-footprint";

describe("weight footprint", () => {
  it("counts exactly the parameters the hub checkpoint stores (packed ternary = 4 weights per byte)", async () => {
    const source = inject("tinySource");
    const file = await openSafetensors(path.join(source, "model.safetensors"));
    let stored = 0;
    try {
      for (const [name, tensor] of file.tensors) {
        if (name.endsWith("weight_scale")) continue; // one scalar per matrix: a quantization constant, not a weight
        const elements = tensor.shape.reduce((a, b) => a * b, 1);
        stored += tensor.dtype === "U8" ? elements * 4 : elements;
      }
    } finally {
      await file.close();
    }
    const footprint = readWeightFootprint(inject("tinyOnnx"));
    expect(footprint.parameters).toBe(stored);
    expect(footprint.fp16BytesPerToken).toBe(stored * 2);
  });

  it("takes the bytes per token from the converted weight files", () => {
    const dir = inject("tinyOnnx");
    const footprint = readWeightFootprint(dir);
    expect(readdirSync(dir).some((n) => n.endsWith(".onnx.data") || n.endsWith(".onnx"))).toBe(true);
    // The tiny model's weights are mostly its 4-bit embedding: far fewer bytes than at 16 bits.
    expect(footprint.bytesPerToken).toBeGreaterThan(0);
    expect(footprint.bytesPerToken).toBeLessThan(footprint.fp16BytesPerToken);
  });
});

describe("memory bandwidth", () => {
  it("measures a finite, plausible copy bandwidth with a small bounded run", async () => {
    const result = await measureMemoryBandwidth({ threads: 2, bufferBytes: 8 * 1024 * 1024, repetitions: 2 });
    expect(result.threads).toBe(2);
    expect(Number.isFinite(result.bytesPerSecond)).toBe(true);
    // Anything DRAM-backed sits between 100 MB/s and 10 TB/s; outside that the arithmetic is wrong.
    expect(result.bytesPerSecond).toBeGreaterThan(1e8);
    expect(result.bytesPerSecond).toBeLessThan(1e13);
  });
});
