import { describe, expect, it } from "vitest";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { parseStoredParams } from "./params-storage";

describe("parseStoredParams", () => {
  it("restores stored settings over the defaults", () => {
    expect(parseStoredParams(JSON.stringify({ temperature: 1.2, seed: 7 }))).toEqual({ ...DEFAULT_GENERATION_PARAMS, temperature: 1.2, seed: 7 });
  });

  it("falls back to defaults for missing, corrupt or out-of-range values", () => {
    expect(parseStoredParams(null)).toEqual(DEFAULT_GENERATION_PARAMS);
    expect(parseStoredParams("{not json")).toEqual(DEFAULT_GENERATION_PARAMS);
    expect(parseStoredParams(JSON.stringify({ temperature: 9 }))).toEqual(DEFAULT_GENERATION_PARAMS);
  });
});
