import { describe, expect, it } from "vitest";
import { KvBuffers } from "./kv-buffers";

const shape = { numLayers: 2, numKvHeads: 2, headDim: 3, maxPositions: 100 };
/** New rows [S, nKV*D] whose values encode (layer, k|v, position, head, d). */
function rows(layer: number, start: number, count: number, which: number): Float32Array {
  const out = new Float32Array(count * 2 * 3);
  for (let s = 0; s < count; s++) for (let h = 0; h < 2; h++) for (let d = 0; d < 3; d++) out[(s * 2 + h) * 3 + d] = layer * 1e4 + which * 1e3 + (start + s) * 10 + h + d / 10;
  return out;
}
function fill(kv: KvBuffers, count: number, slot = 0): void {
  const start = kv.length(slot);
  kv.reserve([{ slot, count }]);
  kv.append(slot, count, 0, (i) => [rows(i, start, count, 0), rows(i, start, count, 1)]);
}
/** Value at (layer, k|v, head, position, d) of `slot`: keys [slot, head, position, d], values [slot, head, d, position]. */
function at(kv: KvBuffers, layer: number, which: number, h: number, pos: number, d: number, slot = 0): number {
  if (which === 0) return kv.key(layer)[((slot * 2 + h) * kv.capacity + pos) * 3 + d];
  return kv.value(layer)[((slot * 2 + h) * 3 + d) * kv.capacity + pos];
}

describe("KvBuffers", () => {
  it("stores rows head-major, keeps them across growth, masks unused capacity", () => {
    const kv = new KvBuffers(shape);
    fill(kv, 5);
    const first = kv.capacity;
    expect(first).toBeGreaterThanOrEqual(5);
    expect(kv.key(0).length).toBe(2 * first * 3);
    fill(kv, first); // forces growth
    expect(kv.capacity).toBeGreaterThan(first);
    expect(kv.length()).toBe(5 + first);
    for (const pos of [0, 4, 5, kv.length() - 1]) {
      for (const layer of [0, 1]) {
        expect(at(kv, layer, 0, 1, pos, 2)).toBeCloseTo(layer * 1e4 + pos * 10 + 1.2, 3);
        expect(at(kv, layer, 1, 0, pos, 0)).toBeCloseTo(layer * 1e4 + 1e3 + pos * 10, 3);
      }
    }
    expect(kv.mask().length).toBe(kv.capacity);
    expect([...kv.mask().subarray(0, kv.length())].every((x) => x === 0)).toBe(true);
    expect([...kv.mask().subarray(kv.length())].every((x) => x === -Infinity)).toBe(true);
  });

  it("truncate masks the forgotten positions and new rows overwrite them", () => {
    const kv = new KvBuffers(shape);
    fill(kv, 10);
    kv.truncate(0, 4);
    expect(kv.length()).toBe(4);
    expect(kv.mask()[3]).toBe(0);
    expect(kv.mask()[4]).toBe(-Infinity);
    fill(kv, 2);
    expect(at(kv, 1, 0, 0, 5, 0)).toBeCloseTo(1e4 + 50, 3);
    expect(kv.mask()[5]).toBe(0);
    expect(kv.mask()[6]).toBe(-Infinity);
  });

  it("never grows past maxPositions", () => {
    const kv = new KvBuffers(shape);
    fill(kv, 95);
    expect(kv.capacity).toBe(100);
    expect(() => kv.reserve([{ slot: 0, count: 6 }])).toThrow(/exceed 100/);
  });
});

describe("KvBuffers resizing", () => {
  it("shrinks after a truncate when the next run needs far less, keeping the kept rows", () => {
    const kv = new KvBuffers({ ...shape, maxPositions: 1000 });
    fill(kv, 400);
    const big = kv.capacity;
    kv.truncate(0, 3);
    fill(kv, 1);
    expect(kv.capacity).toBeLessThan(big / 4);
    expect(at(kv, 1, 1, 1, 2, 1)).toBeCloseTo(1e4 + 1e3 + 20 + 1.1, 3);
    expect(at(kv, 0, 0, 0, 3, 0)).toBeCloseTo(30, 3);
    expect(kv.mask().length).toBe(kv.capacity);
    expect(kv.mask()[3]).toBe(0);
    expect(kv.mask()[4]).toBe(-Infinity);
  });
});

describe("KvBuffers slots", () => {
  it("keeps each slot's rows, length and mask apart, through growth and a truncate", () => {
    const kv = new KvBuffers(shape);
    fill(kv, 3, 0);
    fill(kv, 7, 2);
    expect(kv.slotCount).toBe(3);
    expect([kv.length(0), kv.length(1), kv.length(2)]).toEqual([3, 0, 7]);
    fill(kv, 40, 0); // grows the shared capacity, moving every slot
    const C = kv.capacity;
    expect(C).toBeGreaterThanOrEqual(43);
    expect(kv.key(1, 2).length).toBe(2 * 2 * C * 3);
    expect(at(kv, 1, 0, 1, 6, 2, 2)).toBeCloseTo(1e4 + 60 + 1.2, 3);
    expect(at(kv, 0, 1, 0, 42, 0, 0)).toBeCloseTo(1e3 + 420, 3);
    const mask = kv.mask(3);
    expect(mask.length).toBe(3 * C);
    expect(mask[C - 1]).toBe(-Infinity);
    expect(mask[42]).toBe(0);
    expect(mask[C]).toBe(-Infinity); // slot 1: empty
    expect(mask[2 * C + 6]).toBe(0);
    expect(mask[2 * C + 7]).toBe(-Infinity);
    kv.truncate(2, 2);
    expect(kv.length(2)).toBe(2);
    expect(kv.mask()[2 * C + 2]).toBe(-Infinity);
    expect(kv.length(0)).toBe(43);
  });

  it("drops slots above the highest one in use and shrinks to the longest slot left", () => {
    const kv = new KvBuffers({ ...shape, maxPositions: 1000 });
    fill(kv, 2, 0);
    fill(kv, 500, 3);
    kv.truncate(3, 0);
    kv.reserve([]);
    expect(kv.slotCount).toBe(1);
    expect(kv.capacity).toBeLessThan(64);
    expect(at(kv, 1, 0, 1, 1, 0, 0)).toBeCloseTo(1e4 + 10 + 1, 3);
  });
});

describe("KvBuffers moving rows within one buffer", () => {
  const three = { numLayers: 2, numKvHeads: 3, headDim: 2, maxPositions: 1000 };
  const value = (slot: number, layer: number, which: number, pos: number, h: number, d: number) => slot * 5e4 + layer * 2e4 + which * 1e4 + pos * 10 + h + d / 10;
  function fill3(kv: KvBuffers, slot: number, count: number): void {
    const start = kv.length(slot);
    const make = (layer: number, which: number) => {
      const out = new Float32Array(count * 3 * 2);
      for (let s = 0; s < count; s++) for (let h = 0; h < 3; h++) for (let d = 0; d < 2; d++) out[(s * 3 + h) * 2 + d] = value(slot, layer, which, start + s, h, d);
      return out;
    };
    kv.reserve([{ slot, count }]);
    kv.append(slot, count, 0, (i) => [make(i, 0), make(i, 1)]);
  }
  function expectAll(kv: KvBuffers): void {
    for (let layer = 0; layer < 2; layer++) {
      for (let which = 0; which < 2; which++) {
        const buf = which === 0 ? kv.key(layer) : kv.value(layer);
        expect(buf.length).toBe(kv.slotCount * 3 * kv.capacity * 2);
        for (let slot = 0; slot < kv.slotCount; slot++) {
          for (let h = 0; h < 3; h++) {
            for (let pos = 0; pos < kv.length(slot); pos++) {
              for (let d = 0; d < 2; d++) {
                const index = which === 0 ? ((slot * 3 + h) * kv.capacity + pos) * 2 + d : ((slot * 3 + h) * 2 + d) * kv.capacity + pos;
                expect(buf[index]).toBeCloseTo(value(slot, layer, which, pos, h, d), 1);
              }
            }
          }
        }
      }
    }
  }

  it("keeps every slot's and head's rows across repeated growth, more slots and an in-place shrink", () => {
    const kv = new KvBuffers(three);
    const caps = new Set<number>();
    for (let i = 0; i < 20; i++) {
      fill3(kv, 0, 10);
      if (i === 5) fill3(kv, 1, 7); // a second slot appears mid-way (a larger buffer)
      if (i > 5) fill3(kv, 1, 3);
      caps.add(kv.capacity);
      expectAll(kv);
    }
    expect(caps.size).toBeGreaterThan(3); // it did grow several times
    const big = kv.capacity;
    kv.truncate(0, 50);
    kv.truncate(1, 40);
    kv.reserve([]); // 50 positions need 64 < big / 2: shrinks, moving rows within the same buffer
    expect(kv.capacity).toBeLessThan(big / 2);
    expectAll(kv);
    fill3(kv, 1, 30);
    fill3(kv, 2, 5);
    expectAll(kv);
  });
});

describe("KvBuffers with an fp16 cache", () => {
  it("keeps the graph's fp16 bits as they are, across growth, and refuses float32 rows", () => {
    const kv = new KvBuffers(shape, "float16");
    // Raw half bits that would not survive a numeric conversion (0x3c00 = 1.0, 0xfbff = -65504, 0x0001 = 2^-24).
    const bits = (layer: number, start: number, count: number, which: number) => Uint16Array.from(rows(layer, start, count, which), (x) => [0x3c00, 0xfbff, 0x0001][Math.round(x * 10) % 3] + which);
    for (let step = 0; step < 6; step++) {
      const start = kv.length();
      kv.reserve([{ slot: 0, count: 7 }]);
      kv.append(0, 7, 0, (i) => [bits(i, start, 7, 0), bits(i, start, 7, 1)]);
    }
    expect(kv.key(0)).toBeInstanceOf(Uint16Array);
    for (const pos of [0, 13, 41]) {
      for (const layer of [0, 1]) {
        for (const which of [0, 1]) {
          const want = [0x3c00, 0xfbff, 0x0001][Math.round((layer * 1e4 + which * 1e3 + pos * 10 + 1 + 0.2) * 10) % 3] + which;
          expect(at(kv, layer, which, 1, pos, 2)).toBe(want);
        }
      }
    }
    kv.reserve([{ slot: 0, count: 1 }]);
    expect(() => kv.append(0, 1, 0, (i) => [rows(i, 42, 1, 0), rows(i, 42, 1, 1)])).toThrow(/not float16/);
  });
});
