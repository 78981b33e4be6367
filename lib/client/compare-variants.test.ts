import { describe, expect, it } from "vitest";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { COMPARE_PRESETS, describeVariant } from "./compare-variants";

describe("compare variants", () => {
  it("captions name only the settings that differ", () => {
    const a = { ...DEFAULT_GENERATION_PARAMS, temperature: 0 };
    const b = { ...DEFAULT_GENERATION_PARAMS, temperature: 0.8, systemPrompt: "Answer in one short sentence, please, and nothing more than that." };
    expect(describeVariant(a, b)).toBe("temperature 0 · system prompt “You are a helpful assistant.”");
    expect(describeVariant(b, a)).toBe("temperature 0.8 · system prompt “Answer in one short sentence, please, a…”");
    expect(describeVariant(a, a)).toBe("same settings");
    expect(describeVariant({ ...a, systemPrompt: "" }, a)).toBe("system prompt none");
  });

  it("presets give two different settings", () => {
    for (const preset of COMPARE_PRESETS) {
      const [left, right] = preset.variants(DEFAULT_GENERATION_PARAMS);
      expect(describeVariant({ ...DEFAULT_GENERATION_PARAMS, ...left }, { ...DEFAULT_GENERATION_PARAMS, ...right }), preset.name).not.toBe("same settings");
    }
  });
});
