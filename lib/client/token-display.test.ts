import { describe, expect, it } from "vitest";
import { formatProbability, probabilityOf, shadeOf, SHADES, visibleToken } from "./token-display";

describe("token display", () => {
  it("makes whitespace and incomplete characters visible", () => {
    expect(visibleToken(" the")).toBe("·the");
    expect(visibleToken("\n\n")).toBe("↵↵");
    expect(visibleToken("")).toBe("…");
  });

  it("formats probabilities, and a token cut by top-k/top-p as 0 %", () => {
    expect(formatProbability(probabilityOf(Math.log(0.421)))).toBe("42.1 %");
    expect(formatProbability(probabilityOf(0))).toBe("100 %");
    expect(formatProbability(probabilityOf(-12))).toBe("< 0.1 %");
    expect(formatProbability(probabilityOf(null))).toBe("0 %");
  });

  it("tints less likely tokens more strongly", () => {
    const order = [0.99, 0.7, 0.4, 0.2, 0.01].map((p) => SHADES.indexOf(shadeOf(p)));
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});
