import { describe, expect, it } from "vitest";
import type { TernaryLinear } from "@/server/checkpoint/checkpoint";
import { causalAttention } from "./attention";
import { applyRope, bitLinear, kvHeadFor, quantizeActivation, relu2Mul, rmsNormRows, roundHalfToEven, ropeInvFreq, softmaxInPlace } from "./ops";

const linear = (rows: number[][], weightScale: number, divide = false): TernaryLinear => ({
  name: "test",
  outFeatures: rows.length,
  inFeatures: rows[0].length,
  ternary: Int8Array.from(rows.flat()),
  weightScale,
  effectiveScale: divide ? 1 / weightScale : weightScale,
});

describe("roundHalfToEven", () => {
  it("sends .5 ties to the even neighbour, like torch.round", () => {
    const cases: [number, number][] = [[0.5, 0], [1.5, 2], [2.5, 2], [3.5, 4], [-0.5, 0], [-1.5, -2], [-2.5, -2], [-3.5, -4], [126.5, 126], [127.5, 128]];
    for (const [x, want] of cases) expect(roundHalfToEven(x) + 0, String(x)).toBe(want);
  });
  it("rounds non-ties to the nearest integer", () => {
    const cases: [number, number][] = [[0.49999999999999994, 0], [0.5000000000000001, 1], [2.4, 2], [2.6, 3], [-2.6, -3], [-2.4, -2], [7, 7]];
    for (const [x, want] of cases) expect(roundHalfToEven(x) + 0, String(x)).toBe(want);
  });
});

describe("quantizeActivation", () => {
  it("scales by 127 / absmax and rounds ties to even", () => {
    // absmax 127 → scale 1, so the inputs are the pre-rounding values themselves.
    const { q, scale } = quantizeActivation([127, 2.5, -2.5, 3.5, -0.5, 0.5, -127]);
    expect(scale).toBe(1);
    expect(Array.from(q, (v) => v + 0)).toEqual([127, 2, -2, 4, 0, 0, -127]);
  });
  it("clamps the absmax at 1e-5 (zero rows stay zero, tiny rows use the floor)", () => {
    expect(Array.from(quantizeActivation([0, 0, 0]).q, (v) => v + 0)).toEqual([0, 0, 0]);
    const tiny = quantizeActivation([1e-6, -2e-6]);
    expect(tiny.scale).toBeCloseTo(127e5, 6);
    expect(Array.from(tiny.q)).toEqual([13, -25]); // 12.7 → 13, -25.4 → -25
  });
  it("quantizes a slice of a longer buffer", () => {
    expect(Array.from(quantizeActivation([9, 1, -2, 9], 1, 2).q)).toEqual([64, -127]); // 63.5 → 64
  });
});

describe("bitLinear", () => {
  const x = Float64Array.of(1, 2, -4); // absmax 4 → s = 31.75 → q = [31.75→32, 63.5→64, -127]
  const rows = [[1, 0, -1], [0, 1, 1]];
  it("autobitlinear multiplies by weight_scale: (q/s) @ (W*ws)^T", () => {
    const y = bitLinear(x, linear(rows, 2));
    expect(y[0]).toBeCloseTo(((32 + 127) / 31.75) * 2, 12);
    expect(y[1]).toBeCloseTo(((64 - 127) / 31.75) * 2, 12);
  });
  it("bitlinear divides: (q @ W^T) / (ws * s)", () => {
    const y = bitLinear(x, linear(rows, 2, true));
    expect(y[0]).toBeCloseTo((32 + 127) / (2 * 31.75), 12);
    expect(y[1]).toBeCloseTo((64 - 127) / (2 * 31.75), 12);
  });
  it("quantizes each row (token) separately", () => {
    const y = bitLinear(Float64Array.of(1, 2, -4, 0.1, 0, 0), linear(rows, 1));
    expect(y[2]).toBeCloseTo(0.1, 12); // row 2: q = [127, 0, 0], s = 1270
    expect(y[3]).toBe(0);
  });
  it("applies a weightless RMSNorm first when use_rms_norm is set", () => {
    const plain = bitLinear(Float64Array.of(3, 4, 0), linear([[1, 1, 0]], 1));
    const normed = bitLinear(Float64Array.of(3, 4, 0), linear([[1, 1, 0]], 1), { rmsNormEps: 0 });
    // rms([3,4,0]) = sqrt(25/3): the result is the plain one divided by it (quantization is scale-invariant).
    expect(normed[0]).toBeCloseTo(plain[0] / Math.sqrt(25 / 3), 12);
  });
});

describe("rmsNormRows", () => {
  it("normalizes each row by its root mean square, then multiplies by the weight", () => {
    const y = rmsNormRows(Float64Array.of(3, 4, 1, 1), 2, 0, [1, 2]);
    const r = Math.sqrt(12.5);
    expect(Array.from(y)).toEqual([3 / r, (4 / r) * 2, 1, 2]);
    expect(rmsNormRows(Float64Array.of(0, 0), 2, 1e-5, [1, 1])[0]).toBe(0);
  });
});

describe("RoPE", () => {
  const D = 8, theta = 500000;
  it("uses float32 inverse frequencies 1/theta^(2j/D)", () => {
    const inv = ropeInvFreq(D, theta);
    expect(inv[0]).toBe(1);
    for (let j = 0; j < D / 2; j++) {
      expect(inv[j]).toBe(Math.fround(inv[j]));
      expect(inv[j]).toBeCloseTo(1 / Math.pow(theta, (2 * j) / D), 6);
    }
  });
  it("rotates pairs (j, j + D/2) — the half-split form, not interleaved", () => {
    const inv = ropeInvFreq(D, theta);
    const x = [0.3, -1.2, 0.7, 2.0, -0.4, 0.9, 1.1, -0.6];
    for (const pos of [0, 1, 7, 100, 4095]) {
      const v = Float64Array.from(x);
      applyRope(v, 0, pos, inv);
      for (let j = 0; j < D / 2; j++) {
        const a = pos * Math.pow(theta, -(2 * j) / D);
        // Tolerance: the angle is a float32 product (relative error ~1e-7), so it grows with the position.
        const tol = 5e-7 * (1 + pos);
        expect(Math.abs(v[j] - (x[j] * Math.cos(a) - x[j + D / 2] * Math.sin(a)))).toBeLessThan(tol);
        expect(Math.abs(v[j + D / 2] - (x[j + D / 2] * Math.cos(a) + x[j] * Math.sin(a)))).toBeLessThan(tol);
      }
    }
  });
  it("is the identity at position 0 and rotates only the given head", () => {
    const v = Float64Array.of(9, 9, 1, 2, 3, 4, 5, 6, 7, 8);
    applyRope(v, 2, 0, ropeInvFreq(D, theta));
    expect(Array.from(v)).toEqual([9, 9, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
  it("makes q·k depend on the relative position only", () => {
    const inv = ropeInvFreq(D, theta);
    const dot = (m: number, n: number) => {
      const q = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8), k = Float64Array.of(-1, 0.5, 2, -3, 1, 1, -2, 0.25);
      applyRope(q, 0, m, inv);
      applyRope(k, 0, n, inv);
      return q.reduce((s, qi, i) => s + qi * k[i], 0);
    };
    expect(dot(10, 3)).toBeCloseTo(dot(17, 10), 4);
    expect(dot(10, 3)).not.toBeCloseTo(dot(10, 4), 2);
  });
});

describe("GQA and attention", () => {
  it("maps query heads to kv heads in blocks (repeat_kv)", () => {
    expect([0, 1, 2, 3].map((h) => kvHeadFor(h, 4, 2))).toEqual([0, 0, 1, 1]);
    expect([0, 3, 4, 7, 8, 19].map((h) => kvHeadFor(h, 20, 5))).toEqual([0, 0, 1, 1, 2, 4]);
    expect([0, 1, 2].map((h) => kvHeadFor(h, 3, 3))).toEqual([0, 1, 2]);
  });
  it("reads each query head's values from its kv head", () => {
    // One position: softmax over a single key is 1, so each head outputs its kv head's value vector.
    const shape = { numHeads: 4, numKvHeads: 2, headDim: 2 };
    const q = Float64Array.of(1, 0, 0, 1, 1, 1, -1, 0);
    const keys = Float64Array.of(0.5, 0.5, -0.5, 2);
    const values = Float64Array.of(10, 11, 20, 21);
    expect(Array.from(causalAttention(q, keys, values, 0, 1, shape))).toEqual([10, 11, 10, 11, 20, 21, 20, 21]);
  });
  it("masks future keys and scales scores by D^-0.5", () => {
    const shape = { numHeads: 1, numKvHeads: 1, headDim: 4 };
    const q = Float64Array.of(1, 0, 0, 0, 2, 0, 0, 0);
    const keys = Float64Array.of(1, 0, 0, 0, -1, 0, 0, 0);
    const values = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const out = causalAttention(q, keys, values, 0, 2, shape);
    expect(Array.from(out.subarray(0, 4))).toEqual([1, 2, 3, 4]); // position 0 cannot see position 1
    const p0 = Math.exp(2 * 0.5) / (Math.exp(2 * 0.5) + Math.exp(-2 * 0.5)); // scores ±2 · 4^-0.5
    for (let d = 0; d < 4; d++) expect(out[4 + d]).toBeCloseTo(p0 * (d + 1) + (1 - p0) * (d + 5), 12);
  });
  it("softmax ignores -Infinity and sums to 1", () => {
    const s = Float64Array.of(1000, 1000, -Infinity);
    softmaxInPlace(s);
    expect(Array.from(s)).toEqual([0.5, 0.5, 0]);
  });
});

describe("relu2Mul", () => {
  it("computes relu(g)^2 * u", () => {
    expect(Array.from(relu2Mul(Float64Array.of(-2, 0, 3, 0.5), Float64Array.of(5, 5, 2, -4)), (v) => v + 0)).toEqual([0, 0, 18, -1]);
  });
});
