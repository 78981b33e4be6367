import { describe, expect, it } from "vitest";
import { autoTitle } from "./auto-title";

describe("autoTitle", () => {
  it("keeps short messages whole, whitespace collapsed", () => {
    expect(autoTitle("  Hello\n\n  there  ")).toBe("Hello there");
    expect(autoTitle("   ")).toBe("New chat");
  });

  it("cuts long messages at a word boundary with an ellipsis, at most ~60 characters", () => {
    const title = autoTitle("Explain the difference between ternary and binary neural network weights in detail please");
    expect(title).toBe("Explain the difference between ternary and binary neural…");
    expect(title.length).toBeLessThanOrEqual(61);
  });

  it("cuts a single long word hard and never splits a surrogate pair", () => {
    expect(autoTitle("a".repeat(100))).toBe(`${"a".repeat(60)}…`);
    const emoji = autoTitle("😀".repeat(80));
    expect(Array.from(emoji)).toHaveLength(61);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
