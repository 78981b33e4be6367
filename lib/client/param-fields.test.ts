import { describe, expect, it } from "vitest";
import { DEFAULT_GENERATION_PARAMS, generationParamsSchema } from "@/lib/schemas/params";
import { BUILT_IN_PRESETS, matchingPreset, withLabel } from "./param-fields";
import { parseParamInput } from "./param-input";

describe("param fields", () => {
  it("validation messages name the field by its label", () => {
    const result = parseParamInput("5", generationParamsSchema.shape.temperature, false);
    expect(result.ok).toBe(false);
    expect(withLabel(result.ok ? "" : result.message, "temperature", "Temperature")).toBe("Temperature must be between 0 and 2");
    expect(withLabel("topK must be an integer", "topK", "Top-k")).toBe("Top-k must be an integer");
    expect(withLabel("Enter a number", "topK", "Top-k")).toBe("Enter a number");
  });

  it("built-in presets are valid settings, distinct, and the defaults match Balanced", () => {
    for (const preset of BUILT_IN_PRESETS) expect(generationParamsSchema.safeParse({ ...DEFAULT_GENERATION_PARAMS, ...preset.params }).success).toBe(true);
    expect(matchingPreset(DEFAULT_GENERATION_PARAMS, BUILT_IN_PRESETS)).toBe("Balanced");
    const precise = { ...DEFAULT_GENERATION_PARAMS, ...BUILT_IN_PRESETS[0]!.params };
    expect(matchingPreset(precise, BUILT_IN_PRESETS)).toBe("Precise");
    expect(matchingPreset({ ...precise, temperature: 0.3 }, BUILT_IN_PRESETS)).toBeNull();
  });
});
