import { describe, expect, it } from "vitest";
import { roundToFloat16 } from "./bf16";

describe("roundToFloat16", () => {
  it("rounds to the nearest half, ties to even, with subnormals and overflow", () => {
    expect(roundToFloat16(1)).toBe(1);
    expect(roundToFloat16(1 / 3)).toBe(0.333251953125);
    expect(roundToFloat16(-2049)).toBe(-2048); // a tie between 2048 and 2050: the even mantissa
    expect(roundToFloat16(2051)).toBe(2052); // a tie between 2050 and 2052: the even mantissa
    expect(roundToFloat16(65504)).toBe(65504);
    expect(roundToFloat16(65519)).toBe(65504);
    expect(roundToFloat16(65520)).toBe(Infinity);
    expect(roundToFloat16(2 ** -24)).toBe(2 ** -24); // smallest subnormal
    expect(roundToFloat16(2 ** -26)).toBe(0);
    expect(roundToFloat16(3 * 2 ** -25)).toBe(2 ** -23); // 1.5 steps: tie to the even count
    expect(roundToFloat16(0.1)).toBe(0.0999755859375);
  });
});
