import { describe, expect, it } from "vitest";
import { parseSnippet } from "./snippet";

describe("parseSnippet", () => {
  it("splits marked matches from plain text", () => {
    expect(parseSnippet("…the «ternary» weights and «ternary» again")).toEqual([
      { text: "…the ", match: false },
      { text: "ternary", match: true },
      { text: " weights and ", match: false },
      { text: "ternary", match: true },
      { text: " again", match: false },
    ]);
  });

  it("keeps markup as text and tolerates an unclosed marker", () => {
    expect(parseSnippet("<img onerror=x> «a")).toEqual([{ text: "<img onerror=x> «a", match: false }]);
  });
});
