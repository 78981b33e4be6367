import { describe, expect, it } from "vitest";
import v8 from "node:v8";
import { collectGarbage } from "./collect-garbage";

describe("collectGarbage", () => {
  it("runs a full collection that frees unreachable memory", () => {
    const used = () => v8.getHeapStatistics().used_heap_size;
    expect(collectGarbage()).toBe(true);
    const before = used();
    // The 200k objects are reachable only inside this function: garbage once it returns.
    const grown = (() => {
      const garbage = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `token ${i}` }));
      return garbage.length > 0 ? used() - before : 0;
    })();
    expect(grown).toBeGreaterThan(10 * 2 ** 20);
    expect(collectGarbage()).toBe(true);
    // Without a real collection the 200k objects (≫ 10 MB) would still be counted.
    expect(used() - before).toBeLessThan(2 * 2 ** 20);
  });
});
