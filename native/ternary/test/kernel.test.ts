/**
 * The kernel alone, on every vector path this machine runs (an AVX-512 machine runs the AVX2 and plain-C
 * paths too): exact mode's integer sums bit for bit, and fast mode's per-block quantization against a
 * plain JavaScript statement of it. ARM paths: test/run-arm.sh (cross-compiled, under qemu).
 */
import { afterEach, describe, expect, it } from "vitest";
import { ternaryAddon, type TernaryAddon } from "@/server/runtime/ternary-addon";
import { testKernels } from "@/server/runtime/testing/kernels";

const loaded = ternaryAddon();
const addon = loaded.addon as TernaryAddon;
const hasAddon = testKernels().includes("ternary");

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Codes (w + 1 ∈ {0, 1, 2}) packed four to a byte, lowest bits first; padding columns are zero weights. */
function randomWeights(r: () => number, n: number, kIn: number, kPad: number): { w: Uint8Array; ternary: Int8Array } {
  const ternary = new Int8Array(n * kPad);
  const w = new Uint8Array((n * kPad) / 4);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < kPad; k++) {
      const t = k < kIn ? Math.floor(r() * 3) - 1 : 0;
      ternary[j * kPad + k] = t;
      w[(j * kPad + k) >> 2] |= (t + 1) << (2 * (k & 3));
    }
  }
  return { w, ternary };
}

/** Round half to even, like the kernel's nearbyintf. */
function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The op's definition: per block of A, scale = absmax/127, q = round(a · 127/absmax); y = Σ_b scale_b · Σ w·q. */
function reference(a: Float32Array, ternary: Int8Array, m: number, n: number, kIn: number, kPad: number, block: number): Float64Array {
  const y = new Float64Array(m * n);
  const blocks = kPad / block;
  for (let i = 0; i < m; i++) {
    const q = new Int32Array(kPad);
    const scale = new Float64Array(blocks);
    for (let b = 0; b < blocks; b++) {
      const end = Math.min((b + 1) * block, kIn);
      let amax = 0;
      for (let k = b * block; k < end; k++) amax = Math.max(amax, Math.abs(a[i * kIn + k]));
      scale[b] = Math.fround(amax / 127);
      const inv = amax > 0 ? Math.fround(127 / amax) : 0;
      for (let k = b * block; k < end; k++) q[k] = Math.max(-127, Math.min(127, roundEven(Math.fround(a[i * kIn + k] * inv))));
    }
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let b = 0; b < blocks; b++) {
        let dot = 0;
        for (let k = b * block; k < (b + 1) * block; k++) dot += ternary[j * kPad + k] * q[k];
        acc += scale[b] * dot;
      }
      y[i * n + j] = acc;
    }
  }
  return y;
}

const SHAPES = [
  // m, n, kIn, kPad, block: decode and prefill rows (4-row tiles and the rest), 2B-model widths, an odd
  // number of 128s (the AVX-512 path's half step), K shorter than its blocks, blocks of 256 and 512.
  [1, 64, 64, 128, 128],
  [1, 40, 2560, 2560, 128],
  [7, 37, 384, 384, 128],
  [5, 19, 6912, 6912, 128],
  [4, 33, 512, 512, 256],
  [3, 17, 1000, 1024, 256],
  [2, 9, 1024, 1024, 512],
] as const;

const paths = hasAddon ? addon.isaInfo().available : [];
const pathFits = (isa: string, block: number) => !isa.startsWith("avx512") || block === 128 || block % 256 === 0;

describe.runIf(hasAddon)("TernaryMatMul kernel", () => {
  it("runs the plain-C path and at least the machine's best vector path", () => {
    expect(paths).toContain("scalar");
    expect(paths).toContain(addon.isaInfo().best);
  });

  describe.each(paths)("path %s", (isa) => {
    it("exact mode: integer activations with a 127 sentinel per block give BitNet's int32 sums, bit for bit", () => {
      const r = rng(101);
      for (const [m, n, , kPad, block] of SHAPES) {
        if (!pathFits(isa, block)) continue;
        const { w, ternary } = randomWeights(r, n, kPad, kPad);
        // The graph's sentinel layout: every block's last column is 127 (its weight is zero), so every
        // block's scale is exactly 1 and the integers pass through unchanged.
        const a = new Float32Array(m * kPad).map((_, i) => ((i % kPad) % block === block - 1 ? 127 : Math.round((r() - 0.5) * 254)));
        for (let j = 0; j < n; j++) for (let b = 0; b < kPad / block; b++) {
          const k = b * block + block - 1;
          w[(j * kPad + k) >> 2] = (w[(j * kPad + k) >> 2] & ~(3 << (2 * (k & 3)))) | (1 << (2 * (k & 3)));
          ternary[j * kPad + k] = 0;
        }
        for (const threads of [1, 2]) {
          const y = addon.matmul(a, w, m, n, kPad, kPad, block, isa, threads);
          const expected = reference(a, ternary, m, n, kPad, kPad, block);
          const exact = Array.from(expected, (v) => Math.round(v));
          expect(Array.from(expected)).toEqual(exact); // the reference itself is all integers here
          expect(Array.from(y)).toEqual(exact);
        }
      }
    });

    it("fast mode: per-block quantization of float activations matches its definition", () => {
      const r = rng(202);
      for (const [m, n, kIn, kPad, block] of SHAPES) {
        if (!pathFits(isa, block)) continue;
        const { w, ternary } = randomWeights(r, n, kIn, kPad);
        const a = new Float32Array(m * kIn).map(() => (r() - 0.5) * 8 * (r() < 0.05 ? 10 : 1));
        const y = addon.matmul(a, w, m, n, kIn, kPad, block, isa, 2);
        const expected = reference(a, ternary, m, n, kIn, kPad, block);
        const magnitude = expected.reduce((s, v) => Math.max(s, Math.abs(v)), 1);
        for (let i = 0; i < y.length; i++) expect(Math.abs(y[i] - expected[i])).toBeLessThan(2e-6 * magnitude * Math.sqrt(kPad));
      }
    });

    it("a row's result does not depend on the rows beside it (4-row tiles vs single rows)", () => {
      const r = rng(303);
      const [m, n, k, block] = [9, 21, 768, 128];
      if (!pathFits(isa, block)) return;
      const { w } = randomWeights(r, n, k, k);
      const a = new Float32Array(m * k).map(() => r() - 0.5);
      const all = addon.matmul(a, w, m, n, k, k, block, isa, 2);
      for (let i = 0; i < m; i++) {
        const one = addon.matmul(a.subarray(i * k, (i + 1) * k), w, 1, n, k, k, block, isa, 1);
        expect(Array.from(all.subarray(i * n, (i + 1) * n))).toEqual(Array.from(one));
      }
    });
  });

  describe("BITNET_TERNARY_ISA", () => {
    const saved = process.env.BITNET_TERNARY_ISA;
    afterEach(() => {
      if (saved === undefined) delete process.env.BITNET_TERNARY_ISA;
      else process.env.BITNET_TERNARY_ISA = saved;
    });

    it("forces any path the CPU runs, down to plain C", () => {
      for (const isa of paths) {
        process.env.BITNET_TERNARY_ISA = isa;
        expect(addon.isaInfo()).toMatchObject({ selected: isa });
        expect(addon.isaInfo().forcedError).toBeUndefined();
      }
    });

    it("refuses a path the CPU cannot run or does not know, keeping the best, and says so", () => {
      const foreign = paths.includes("avx2") ? "neon" : "avx2";
      for (const name of [foreign, "sse9"]) {
        process.env.BITNET_TERNARY_ISA = name;
        const info = addon.isaInfo();
        expect(info.selected).toBe(info.best);
        expect(info.forcedError).toMatch(/BITNET_TERNARY_ISA/);
      }
    });
  });

  it("rejects shapes the kernel does not take, with a clear error", () => {
    const a = new Float32Array(128);
    const w = new Uint8Array(32);
    expect(() => addon.matmul(a, w, 1, 1, 128, 128, 64, "scalar", 1)).toThrow(/bad shape/);
    expect(() => addon.matmul(a, w, 1, 2, 128, 128, 128, "scalar", 1)).toThrow(/smaller than the shape/);
    expect(() => addon.matmul(a, w, 1, 1, 128, 128, 128, "no-such-isa", 1)).toThrow(/isa/);
  });
});
