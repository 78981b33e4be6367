import { describe, expect, it } from "vitest";
import { niceTicks } from "./scatter-chart";

describe("niceTicks", () => {
  it("steps of 1, 2 or 5 × 10^k from 0 past the maximum", () => {
    expect(niceTicks(23)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(niceTicks(4000)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(niceTicks(0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});
