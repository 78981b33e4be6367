import { describe, expect, it } from "vitest";
import { parseGenerateArgs } from "@/bin/commands/generate";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { SPECULATIVE_BY_DEFAULT } from "@/lib/speculative-default";

describe("bitnet generate arguments", () => {
  it("maps every flag onto the request", () => {
    const args = parseGenerateArgs([
      "--model", "/m", "--prompt", "Hi", "--system", "Be terse", "--max-tokens", "64", "--temperature", "0",
      "--top-p", "0.5", "--top-k", "7", "--repetition-penalty", "1.3", "--seed", "42", "--json", "--threads", "2", "--no-speculative",
    ]);
    expect(args).toEqual({
      model: "/m",
      messages: [
        { role: "system", content: "Be terse" },
        { role: "user", content: "Hi" },
      ],
      params: { maxNewTokens: 64, temperature: 0, topP: 0.5, topK: 7, repetitionPenalty: 1.3, seed: 42, speculative: false },
      json: true,
      threads: 2,
    });
  });

  it("--speculative / --no-speculative choose prompt-lookup speculative decoding; without either, the app's default", () => {
    const on = parseGenerateArgs(["--model", "/m", "--prompt", "Hi", "--speculative"]);
    const off = parseGenerateArgs(["--model", "/m", "--prompt", "Hi", "--no-speculative"]);
    const unset = parseGenerateArgs(["--model", "/m", "--prompt", "Hi"]);
    if (on === "help" || off === "help" || unset === "help") throw new Error("unexpected help");
    expect(on.params.speculative).toBe(true);
    expect(off.params.speculative).toBe(false);
    expect(unset.params.speculative).toBe(SPECULATIVE_BY_DEFAULT);
  });

  it("uses the app's defaults, no system prompt and a random seed", () => {
    const args = parseGenerateArgs(["--model", "/m", "--prompt", "Hi"]);
    if (args === "help") throw new Error("unexpected help");
    const { systemPrompt: _omit, ...defaults } = DEFAULT_GENERATION_PARAMS;
    expect(args.params).toEqual(defaults);
    expect(args.messages).toEqual([{ role: "user", content: "Hi" }]);
    expect(args.json).toBe(false);
  });

  it("rejects out-of-range and non-numeric values with the API's messages", () => {
    expect(() => parseGenerateArgs(["--model", "/m", "--prompt", "Hi", "--temperature", "3"])).toThrow("temperature must be between 0 and 2");
    expect(() => parseGenerateArgs(["--model", "/m", "--prompt", "Hi", "--top-k", "abc"])).toThrow('--top-k must be a number (got "abc")');
    expect(() => parseGenerateArgs(["--prompt", "Hi"])).toThrow("--model and --prompt are required");
  });
});
