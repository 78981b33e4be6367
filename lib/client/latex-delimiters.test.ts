import { describe, expect, it } from "vitest";
import { normalizeLatexDelimiters } from "./latex-delimiters";

describe("normalizeLatexDelimiters", () => {
  it("rewrites \\( … \\) to inline and \\[ … \\] to display dollars, trimming the inner spaces", () => {
    expect(normalizeLatexDelimiters("Area: \\( \\pi r^2 \\).")).toBe("Area: $\\pi r^2$.");
    expect(normalizeLatexDelimiters("So \\[ x = \\frac{1}{2} \\] holds")).toBe("So $$x = \\frac{1}{2}$$ holds");
    expect(normalizeLatexDelimiters("Then:\n\\[\na^2 + b^2 = c^2\n\\]\nDone")).toBe("Then:\n\n$$\na^2 + b^2 = c^2\n$$\n\nDone");
  });

  it("leaves code, escaped backslashes, citations, unclosed delimiters and plain text alone", () => {
    const untouched = [
      "```latex\n\\( x \\) and \\[ y \\]\n```",
      "Use `\\(x\\)` in LaTeX",
      "~~~\nstill streaming \\( x \\)",
      "A line break \\\\[2pt] and \\\\(not math\\\\)",
      "See \\[1\\] and \\[23\\]",
      "An open \\( x still streaming",
      "No math (here) [at all]",
      "Two paragraphs \\( a\n\nb \\)",
    ];
    for (const text of untouched) expect(normalizeLatexDelimiters(text), text).toBe(text);
  });

  it("rewrites around code: the math outside a code span or block still renders", () => {
    expect(normalizeLatexDelimiters("`\\(a\\)` vs \\(b\\)\n```\n\\[c\\]\n```\n\\[d\\]")).toBe("`\\(a\\)` vs $b$\n```\n\\[c\\]\n```\n$$d$$");
  });
});
