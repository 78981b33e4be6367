import { describe, expect, it } from "vitest";
import { bf16ToFloat32, f16ToFloat32, float32ToBf16, float32ToBf16Bits, float32ToF16, numberToF16Bits } from "./bf16";

function f32Bits(x: number): number {
  return new Uint32Array(Float32Array.of(x).buffer)[0];
}
function fromBits(bits: number): number {
  return new Float32Array(Uint32Array.of(bits).buffer)[0];
}

describe("bf16", () => {
  it("rounds to nearest, ties to even", () => {
    expect(float32ToBf16Bits(1)).toBe(0x3f80);
    // 1 + 2^-8 is exactly halfway between bf16 1.0 (even) and 1.0078125 (odd): ties go to 1.0.
    expect(float32ToBf16Bits(fromBits(0x3f808000))).toBe(0x3f80);
    // Halfway above an odd mantissa rounds up to the even one.
    expect(float32ToBf16Bits(fromBits(0x3f818000))).toBe(0x3f82);
    // Just above halfway rounds up.
    expect(float32ToBf16Bits(fromBits(0x3f808001))).toBe(0x3f81);
    expect(float32ToBf16Bits(-2.5)).toBe(0xc020);
    expect(float32ToBf16Bits(Infinity)).toBe(0x7f80);
    expect(Number.isNaN(bf16ToFloat32(float32ToBf16([NaN]))[0])).toBe(true);
  });

  it("bulk Float32Array path equals the per-value path (ties, NaN, infinities, random bits)", () => {
    const bits = Uint32Array.from([0x3f808000, 0x3f818000, 0x3f808001, 0x7f800000, 0xff800000, 0x7fc00001, 0x7f7fffff, 0x80000000]);
    const random = new Uint32Array(10_000).map((_, i) => Math.imul(i + 1, 2654435761) >>> 0);
    const values = new Float32Array(Uint32Array.from([...bits, ...random]).buffer);
    const bulk = float32ToBf16(values);
    const single = float32ToBf16(Array.from(values));
    expect(Buffer.from(bulk).equals(Buffer.from(single))).toBe(true);
  });

  it("round-trips bytes little-endian and widens exactly", () => {
    const bytes = float32ToBf16([1, -2.5, 0.15625, 3e38]);
    expect(Array.from(bytes.slice(0, 4))).toEqual([0x80, 0x3f, 0x20, 0xc0]);
    const back = bf16ToFloat32(bytes);
    expect(Array.from(back.slice(0, 3))).toEqual([1, -2.5, 0.15625]);
    expect(f32Bits(back[3]) & 0xffff).toBe(0);
  });
});

describe("f16", () => {
  it("converts normals, subnormals, infinities with round-to-even", () => {
    const values = [0, 1, -2, 65504, 2 ** -24, 2 ** -14, 0.333251953125];
    expect(Array.from(f16ToFloat32(float32ToF16(values)))).toEqual(values);
    expect(numberToF16Bits(1)).toBe(0x3c00);
    expect(numberToF16Bits(1e6)).toBe(0x7c00);
    expect(numberToF16Bits(-Infinity)).toBe(0xfc00);
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1.0).
    expect(numberToF16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(numberToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(Number.isNaN(f16ToFloat32(float32ToF16([NaN]))[0])).toBe(true);
  });
});
