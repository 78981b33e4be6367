/** ggml block packers against blocks worked out by hand from ggml's block structs (docs/gguf-export.md). */
import { describe, expect, it } from "vitest";
import { createRng } from "@/lib/seeded-rng";
import { packTq2Rows } from "./quant-tq2";
import { dequantizeQ8_0, quantizeQ8_0 } from "./quant-q8";
import { dequantizeQ6K, quantizeQ6K } from "./quant-q6k";

describe("TQ2_0", () => {
  it("packs value 128h + m + 32n of a block into bits 2n of byte 32h + m, code = value + 1, then d = 1.0 (f16 0x3c00)", () => {
    const row = new Int8Array(256);
    row[0] = -1; // h0 m0 n0 → byte 0 bits 0-1 = 0
    row[32] = 1; // h0 m0 n1 → byte 0 bits 2-3 = 2
    row[64] = 0; // h0 m0 n2 → byte 0 bits 4-5 = 1
    row[96] = -1; // h0 m0 n3 → byte 0 bits 6-7 = 0
    row[128 + 5] = 1; // h1 m5 n0 → byte 37 bits 0-1 = 2
    row[128 + 5 + 96] = 1; // h1 m5 n3 → byte 37 bits 6-7 = 2
    const b = packTq2Rows(row, 1, 256);
    expect(b.length).toBe(66);
    expect(b[0]).toBe(0b00_01_10_00);
    expect(b[37]).toBe(0b10_01_01_10);
    expect(b[1]).toBe(0b01_01_01_01); // all zeros → code 1 everywhere
    expect([b[64], b[65]]).toEqual([0x00, 0x3c]);
  });

  it("writes one block per 256 values of each row, rows one after another", () => {
    const w = new Int8Array(2 * 512);
    w[512 + 256] = 1; // row 1, second block, value 0
    const b = packTq2Rows(w, 2, 512);
    expect(b.length).toBe(4 * 66);
    expect(b[3 * 66]).toBe(0b01_01_01_10);
    expect(b[2 * 66]).toBe(0b01_01_01_01);
  });

  it("rejects rows that are not whole blocks and non-ternary values", () => {
    expect(() => packTq2Rows(new Int8Array(64), 1, 64)).toThrow(/multiple of 256/);
    expect(() => packTq2Rows(new Int8Array(256).fill(2), 1, 256)).toThrow(/not ternary/);
  });
});

describe("Q8_0", () => {
  it("stores d = absmax/127 as f16 then roundf(x/d) as int8", () => {
    const x = new Float32Array(32);
    x[0] = 1; // amax 1 → d = 1/127 ≈ 0.007874 → f16 0x2008 (2^-7 × (1 + 8/1024))
    x[1] = -0.5; // -63.5 → roundf away from zero → -64
    x[2] = 0.25; // 31.75 → 32
    const b = quantizeQ8_0(x);
    expect(b.length).toBe(34);
    expect([b[0], b[1]]).toEqual([0x08, 0x20]);
    expect(b[2]).toBe(127);
    expect(b[3]).toBe(256 - 64);
    expect(b[4]).toBe(32);
    expect(b[5]).toBe(0);
    const back = dequantizeQ8_0(b, 32);
    expect(back[0]).toBeCloseTo(1, 3);
    expect(back[1]).toBeCloseTo(-0.5, 2);
  });
});

describe("Q6_K", () => {
  it("a constant block: every q is -32 with sub-block scales -128 and d = c/4096", () => {
    // make_qx_quants on 16 equal values c: l = -32 for all, scale = -c/32; max scale → iscale = -128/(-c/32),
    // d = c/4096 (f16 0x0c00 for c = 1), int8 scales = -128, then q = round(c / (d·-128)) = -32 → code 0.
    const b = quantizeQ6K(new Float32Array(256).fill(1));
    expect(b.length).toBe(210);
    expect(b.subarray(0, 192).every((v) => v === 0)).toBe(true);
    expect(b.subarray(192, 208).every((v) => v === 0x80)).toBe(true);
    expect([b[208], b[209]]).toEqual([0x00, 0x0c]);
    expect(Array.from(dequantizeQ6K(b, 256)).every((v) => v === 1)).toBe(true);
  });

  it("places each value's low nibble in ql and top two bits in qh as ggml's dequantizer reads them", () => {
    // x = (k - 32) for k = 0..63 spread over a block: each sub-block's best scale represents these exactly.
    const x = new Float32Array(512);
    for (let i = 0; i < x.length; i++) x[i] = ((i * 37) % 64) - 32;
    const back = dequantizeQ6K(quantizeQ6K(x), x.length);
    for (let i = 0; i < x.length; i++) expect(Math.abs(back[i] - x[i])).toBeLessThan(0.02 * 32);
  });

  it("random data round-trips within a few percent of the block maximum; an all-zero block is all zeros", () => {
    const rng = createRng(7);
    const rand = () => rng.next() - 0.5;
    const x = new Float32Array(256 * 8).map(() => rand() * 0.04);
    x.fill(0, 256, 512);
    const b = quantizeQ6K(x);
    expect(b.subarray(210, 420).every((v) => v === 0)).toBe(true);
    const back = dequantizeQ6K(b, x.length);
    let err = 0, norm = 0;
    for (let i = 0; i < x.length; i++) {
      err += (back[i] - x[i]) ** 2;
      norm += x[i] ** 2;
    }
    expect(Math.sqrt(err / norm)).toBeLessThan(0.03);
  });
});
