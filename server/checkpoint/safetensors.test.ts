import { mkdtemp, readFile, rm, stat, truncate, writeFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { float32ToBf16, float32ToF16 } from "./bf16";
import { createSafetensorsWriter, openSafetensors } from "./safetensors";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "safetensors-test-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const values = [0.5, -1.25, 3, 1024];

async function writeSample(file: string): Promise<void> {
  const w = await createSafetensorsWriter(
    file,
    [
      { name: "b", dtype: "BF16", shape: [2, 2] },
      { name: "h", dtype: "F16", shape: [4] },
      { name: "f", dtype: "F32", shape: [1, 4] },
      { name: "u", dtype: "U8", shape: [3] },
      { name: "scalar", dtype: "F32", shape: [] },
    ],
    { note: "hello" },
  );
  await w.write("b", float32ToBf16(values));
  await w.write("h", float32ToF16(values));
  // F32 written in two chunks to exercise writeChunk.
  const f = new Uint8Array(Float32Array.from(values).buffer);
  await w.writeChunk("f", f.subarray(0, 6));
  await w.writeChunk("f", f.subarray(6));
  await w.write("u", Uint8Array.from([1, 2, 255]));
  await w.write("scalar", new Uint8Array(Float32Array.of(7).buffer));
  await w.close();
}

describe("safetensors", () => {
  it("round-trips all four dtypes with a padded header and metadata", async () => {
    const file = path.join(dir, "m.safetensors");
    await writeSample(file);
    const bytes = await readFile(file);
    const n = Number(bytes.readBigUInt64LE(0));
    expect(n % 8).toBe(0);
    const headerText = bytes.subarray(8, 8 + n).toString("utf8");
    const header = JSON.parse(headerText);
    expect(header.__metadata__).toEqual({ format: "pt", note: "hello" });
    expect(header.b).toEqual({ dtype: "BF16", shape: [2, 2], data_offsets: [0, 8] });
    expect(header.u.data_offsets).toEqual([32, 35]);
    expect(headerText).toMatch(/} *$/);
    expect(bytes.length).toBe(8 + n + 8 + 8 + 16 + 3 + 4);

    const r = await openSafetensors(file);
    expect(r.metadata).toEqual({ format: "pt", note: "hello" });
    expect([...r.tensors.keys()]).toEqual(["b", "h", "f", "u", "scalar"]);
    expect(r.tensors.get("f")).toMatchObject({ dtype: "F32", shape: [1, 4], byteOffset: 8 + n + 16, byteLength: 16 });
    for (const name of ["b", "h", "f"]) expect(Array.from(await r.readFloat32(name))).toEqual(values);
    expect(Array.from(await r.readBytes("u"))).toEqual([1, 2, 255]);
    expect(Array.from(await r.readFloat32("scalar"))).toEqual([7]);
    await expect(r.readFloat32("u")).rejects.toThrow(/"u" is U8, not a floating-point tensor/);
    await expect(r.readBytes("nope")).rejects.toThrow(/no tensor "nope"/);
    await r.close();
  });

  it("never leaves a half file: writes go to .partial, abort removes it", async () => {
    const file = path.join(dir, "x.safetensors");
    const w = await createSafetensorsWriter(file, [{ name: "a", dtype: "U8", shape: [2] }]);
    expect(await readdir(dir)).toEqual(["x.safetensors.partial"]);
    await w.abort();
    expect(await readdir(dir)).toEqual([]);
  });

  it("enforces order and byte length when writing", async () => {
    const file = path.join(dir, "x.safetensors");
    const w = await createSafetensorsWriter(file, [
      { name: "a", dtype: "BF16", shape: [2] },
      { name: "b", dtype: "U8", shape: [1] },
    ]);
    await expect(w.write("b", new Uint8Array(1))).rejects.toThrow(/expected "a" next, got "b"/);
    await expect(w.write("a", new Uint8Array(3))).rejects.toThrow(/needs 4 bytes, got 3/);
    await w.write("a", new Uint8Array(4));
    await expect(w.close()).rejects.toThrow(/next was "b"/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("reports a truncated file naming the tensor and sizes", async () => {
    const file = path.join(dir, "model.safetensors");
    await writeSample(file);
    const size = (await stat(file)).size;
    await truncate(file, size - 2);
    await expect(openSafetensors(file)).rejects.toThrow(
      `model.safetensors is truncated: tensor "scalar" ends at byte ${size} but the file has ${size - 2} bytes`,
    );
    await truncate(file, 20);
    await expect(openSafetensors(file)).rejects.toMatchObject({ code: "truncated", message: expect.stringMatching(/header needs \d+ bytes/) });
  });

  it("rejects bad headers", async () => {
    const file = path.join(dir, "bad.safetensors");
    const write = async (header: object | string, data = 0) => {
      const json = Buffer.from(typeof header === "string" ? header : JSON.stringify(header));
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(json.length));
      await writeFile(file, Buffer.concat([len, json, Buffer.alloc(data)]));
    };
    await write("{not json");
    await expect(openSafetensors(file)).rejects.toThrow(/header is not valid JSON/);
    await write({ a: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }, 8);
    await expect(openSafetensors(file)).rejects.toMatchObject({ code: "bad_dtype", message: expect.stringContaining('"a" has dtype "I64"') });
    await write({ a: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, 8);
    await expect(openSafetensors(file)).rejects.toThrow(/should take 12 bytes but its data_offsets span 8/);
    await write({ a: { dtype: "U8", shape: [2], data_offsets: [2, 4] } }, 4);
    await expect(openSafetensors(file)).rejects.toThrow(/must be contiguous/);
    await write({ a: { dtype: "U8", shape: [2], data_offsets: [0, 2] } }, 5);
    await expect(openSafetensors(file)).rejects.toThrow(/3 unexpected bytes after the last tensor/);
    const huge = Buffer.alloc(16);
    huge.writeBigUInt64LE(2n ** 40n);
    await writeFile(file, huge);
    await expect(openSafetensors(file)).rejects.toThrow(/header claims 1099511627776 bytes/);
    await expect(openSafetensors(path.join(dir, "missing.safetensors"))).rejects.toMatchObject({ code: "not_found" });
  });
});
