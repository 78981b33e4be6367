import { describe, expect, it } from "vitest";
import v8 from "node:v8";
import { collectGarbage } from "./collect-garbage";

describe("collectGarbage", () => {
  it("runs a full collection that frees unreachable memory", () => {
    const used = () => v8.getHeapStatistics().used_heap_size;
    expect(collectGarbage()).toBe(true);
    const before = used();
    let garbage: unknown[] | null = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `token ${i}` }));
    expect(used() - before).toBeGreaterThan(10 * 2 ** 20);
    garbage = null;
    expect(garbage).toBeNull();
    expect(collectGarbage()).toBe(true);
    // Without a real collection the 200k objects (≫ 10 MB) would still be counted.
    expect(used() - before).toBeLessThan(2 * 2 ** 20);
  });
});
