import { describe, expect, it } from "vitest";
import { CheckpointError } from "./errors";
import { checkTernaryCodes, packTernary, unpackTernary } from "./ternary";

describe("ternary packing", () => {
  // W is 8 × 2, so P = 2: byte [r, c] holds rows r, 2 + r, 4 + r, 6 + r in bit pairs 0..3 (code = w + 1).
  const w = Int8Array.from([
    -1, 0, //  row 0
    1, 1, //   row 1
    0, -1, //  row 2
    1, 0, //   row 3
    -1, -1, // row 4
    0, 1, //   row 5
    1, 0, //   row 6
    0, 0, //   row 7
  ]);

  it("uses HF's block layout (hand-computed bytes)", () => {
    // [0,0]: rows 0,2,4,6 col 0 = -1,0,-1,1 → codes 0,1,0,2 → 0b10_00_01_00 = 0x84
    // [0,1]: rows 0,2,4,6 col 1 = 0,-1,-1,0 → codes 1,0,0,1 → 0b01_00_00_01 = 0x41
    // [1,0]: rows 1,3,5,7 col 0 = 1,1,0,0 → codes 2,2,1,1 → 0b01_01_10_10 = 0x5a
    // [1,1]: rows 1,3,5,7 col 1 = 1,0,1,0 → codes 2,1,2,1 → 0b01_10_01_10 = 0x66
    expect(Array.from(packTernary(w, 8, 2))).toEqual([0x84, 0x41, 0x5a, 0x66]);
    expect(Array.from(unpackTernary(Uint8Array.from([0x84, 0x41, 0x5a, 0x66]), 2, 2))).toEqual(Array.from(w));
  });

  it("round-trips random matrices", () => {
    const rows = 24, cols = 37;
    const m = Int8Array.from({ length: rows * cols }, (_, i) => ((i * 7919) % 3) - 1);
    const packed = packTernary(m, rows, cols);
    expect(packed.length).toBe((rows / 4) * cols);
    expect(unpackTernary(packed, rows / 4, cols)).toEqual(m);
  });

  it("rejects code 3 naming the tensor and position", () => {
    const packed = Uint8Array.from([0x84, 0x41, 0x5a, 0x66]);
    packed[3] = 0b01_11_01_10; // pair 2 is code 3 → row 2*2 + 1 = 5, column 1
    const run = () => unpackTernary(packed, 2, 2, "model.layers.0.mlp.up_proj.weight");
    expect(run).toThrow(CheckpointError);
    expect(run).toThrow(/"model\.layers\.0\.mlp\.up_proj\.weight".*code 3.*byte \[1, 1\].*row 5, column 1/);
    expect(() => checkTernaryCodes(packed, 2, 2, "t")).toThrow(/code 3/);
    try {
      run();
    } catch (error) {
      expect((error as CheckpointError).code).toBe("invalid_ternary_code");
    }
  });

  it("rejects non-ternary input and bad row counts", () => {
    expect(() => packTernary(Int8Array.from([2, 0, 0, 0]), 4, 1)).toThrow(/not in \{-1, 0, 1\}/);
    expect(() => packTernary(new Int8Array(6), 6, 1)).toThrow(/multiple of 4/);
  });
});
