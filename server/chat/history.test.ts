import { describe, expect, it } from "vitest";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { buildEngineMessages } from "./history";

describe("buildEngineMessages", () => {
  const params = { ...DEFAULT_GENERATION_PARAMS, systemPrompt: "  Be brief.  " };

  it("puts the system prompt first and keeps only answers worth continuing from", () => {
    const turns = buildEngineMessages(
      [
        { role: "user", content: "q1", status: "complete" },
        { role: "assistant", content: "a1", status: "complete" },
        { role: "user", content: "q2", status: "complete" },
        { role: "assistant", content: "half", status: "stopped" },
        { role: "user", content: "q3", status: "complete" },
        { role: "assistant", content: "boom", status: "error" },
        { role: "user", content: "q4", status: "complete" },
        { role: "assistant", content: "", status: "stopped" },
        { role: "user", content: "q5", status: "complete" },
      ],
      params,
    );
    expect(turns).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "q1" },
      { role: "assistant", content: "a1" },
      { role: "user", content: "q2" },
      { role: "assistant", content: "half" },
      { role: "user", content: "q3" },
      { role: "user", content: "q4" },
      { role: "user", content: "q5" },
    ]);
  });

  it("leaves out an empty system prompt", () => {
    expect(buildEngineMessages([{ role: "user", content: "q", status: "complete" }], { ...params, systemPrompt: " " })).toEqual([{ role: "user", content: "q" }]);
  });
});
