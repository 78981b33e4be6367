import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import katex from "katex";
import { describe, expect, it, vi } from "vitest";
import { KATEX_CLASSES } from "@/lib/client/katex-classes";
import { MarkdownView } from "./markdown-view";

const render = (text: string) => renderToStaticMarkup(createElement(MarkdownView, { text }));

/** Every element's attributes in the output, to check nothing executable survived. */
function attributeNames(html: string): string[] {
  return [...html.matchAll(/<[a-zA-Z][\w-]*((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/g)].flatMap((m) =>
    [...m[1].matchAll(/\s([\w:-]+)(?:=|\s|$)/g)].map((a) => a[1].toLowerCase()),
  );
}

describe("MarkdownView math", () => {
  it("streams unusual characters inside math without a console warning per character", () => {
    // rehype-katex used to run its own KaTeX 0.16, which warns "No character metrics…" for each such glyph
    // whatever `strict` says; one KaTeX (0.19, strict: "ignore") now renders it all, silently.
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      for (const text of ["$x ← ☃ 🎉 \u200b ​ ∞$", "$$\text{日本語 ☃} ⨁ ​$$", "\( 🎉 ω ǆ \)", "$\frac{a}{$"]) render(text);
      expect(warn.mock.calls.map((call) => String(call[0]))).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });

  it("typesets inline and display math with KaTeX, keeping MathML for screen readers", () => {
    const html = render("Euler: $e^{i\\pi} + 1 = 0$\n\n$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$");
    expect(html).toContain('class="katex"');
    expect(html).toContain('class="katex-display"');
    expect(html).toContain("<math");
    expect(html).toContain('<annotation encoding="application/x-tex">e^{i\\pi} + 1 = 0</annotation>');
    expect(html).toMatch(/class="mord mathnormal"/);
    expect(html).toMatch(/style="height:[\d.]+em/); // KaTeX's layout styles survive the sanitizer
  });

  it("typesets \\( … \\) inline and \\[ … \\] display math, as BitNet writes it", () => {
    const html = render("The area is \\( \\pi r^2 \\), and\n\\[\n\\sum_{i=1}^n i = \\frac{n(n+1)}{2}\n\\]\n\nCode keeps it: `\\(x\\)`");
    expect(html).toContain('<annotation encoding="application/x-tex">\\pi r^2</annotation>');
    expect(html).toContain('class="katex-display"');
    expect(html).toContain('<annotation encoding="application/x-tex">\\sum_{i=1}^n i = \\frac{n(n+1)}{2}</annotation>');
    expect(html).toContain("<code>\\(x\\)</code>");
    expect(html).not.toContain("\\[");
  });

  it("leaves prices alone: single dollars that do not delimit math stay text", () => {
    const html = render("It costs $5 and $10, or $ 3 $.");
    expect(html).not.toContain("katex");
    expect(html).toContain("It costs $5 and $10, or $ 3 $.");
  });

  it("strips scripts and handlers whether they come in math or in text", () => {
    const inputs = [
      "$<img src=x onerror=alert(1)>$",
      "$$\\href{javascript:alert(1)}{click}$$",
      "$\\url{javascript:alert(2)}$",
      "$\\htmlClass{fixed inset-0}{x}$ and $\\htmlStyle{position:fixed}{y}$",
      "<script>alert(3)</script> <img src=x onerror=alert(4)>",
      "[link](javascript:alert(5)) $\\includegraphics{x.png}$",
    ];
    for (const input of inputs) {
      const html = render(input);
      expect(html, input).not.toMatch(/<script|<img|<iframe/i);
      expect(html, input).not.toMatch(/href="javascript:/i);
      expect(attributeNames(html).filter((a) => a.startsWith("on")), input).toEqual([]);
      expect(html, input).not.toMatch(/style="[^"]*position:\s*fixed|class="[^"]*\binset-0\b/);
    }
    // Raw HTML in text is shown as the text the model wrote.
    expect(render("<script>alert(3)</script>")).toContain("&lt;script&gt;alert(3)&lt;/script&gt;");
  });

  it("every class KaTeX emits for a corpus of formulas is on the sanitizer's allowlist", () => {
    const corpus = [
      "x^2", "\\frac{a}{b}", "\\sqrt[3]{x}", "\\overrightarrow{AB}", "\\color{red}{x}", "\\colorbox{yellow}{x}",
      "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\sum_{i=0}^n i", "\\int_0^1 f(x)\\,dx", "\\hat{x}\\tilde{y}",
      "\\underbrace{abc}_{n}", "\\left(\\frac{1}{2}\\right)", "\\xrightarrow{abc}", "\\boxed{x}", "\\cancel{x}",
      "\\text{hi}", "\\mathbb{R}\\mathcal{L}\\mathfrak{g}", "\\begin{aligned}a&=b\\\\c&=d\\end{aligned}", "\\not=", "\\widehat{abc}",
      "\\begin{cases}1 & x>0\\\\0&\\text{else}\\end{cases}", "\\binom{n}{k}", "\\lim_{x\\to 0}", "\\vec{v}\\cdot\\nabla",
    ];
    const unknown = new Set<string>();
    for (const tex of corpus)
      for (const displayMode of [false, true])
        for (const m of katex.renderToString(tex, { displayMode, throwOnError: false }).matchAll(/class="([^"]*)"/g))
          for (const c of m[1].split(/\s+/)) if (c && !KATEX_CLASSES.has(c)) unknown.add(c);
    expect([...unknown]).toEqual([]);
  });
});

describe("MarkdownView answers", () => {
  it("footnotes link within the message, ids are per message and the label heading is kept only for screen readers", () => {
    const html = render("A claim.[^1]\n\n[^1]: The source.");
    const ref = /<a href="#([^"]+)" id="([^"]+)"[^>]*>1<\/a>/.exec(html);
    expect(ref, html).not.toBeNull();
    expect(html).toContain(`<li id="${ref![1]}"`);
    expect(html).toContain(`href="#${ref![2]}"`); // the back-reference
    expect(ref![1]).toMatch(/^m\w+-fn-1$/);
    expect(html).not.toMatch(/href="#[^"]+" target="_blank"/);
  });

  it("labels task-list checkboxes with their item's text", () => {
    const html = render("- [x] buy milk\n- [ ] call Bob");
    expect(html).toMatch(/<input[^>]*aria-label="buy milk"/);
    expect(html).toMatch(/<input[^>]*aria-label="call Bob"/);
  });
});
