import { describe, expect, it } from "vitest";
import { generationParamsSchema } from "@/lib/schemas/params";
import { parseParamInput } from "./param-input";

const shape = generationParamsSchema.shape;

describe("parseParamInput", () => {
  it("accepts values inside the shared limits", () => {
    expect(parseParamInput("0.75", shape.temperature, false)).toEqual({ ok: true, value: 0.75 });
    expect(parseParamInput(" 2048 ", shape.maxNewTokens, false)).toEqual({ ok: true, value: 2048 });
  });

  it("rejects out-of-range and non-integer values with the schema's message", () => {
    expect(parseParamInput("5", shape.temperature, false)).toEqual({ ok: false, message: "temperature must be between 0 and 2" });
    expect(parseParamInput("2.5", shape.topK, false)).toMatchObject({ ok: false, message: "topK must be an integer" });
    expect(parseParamInput("abc", shape.topP, false)).toEqual({ ok: false, message: "Enter a number" });
  });

  it("treats an empty seed as random (null) but an empty temperature as missing", () => {
    expect(parseParamInput("", shape.seed, true)).toEqual({ ok: true, value: null });
    expect(parseParamInput("", shape.temperature, false)).toMatchObject({ ok: false });
  });
});
