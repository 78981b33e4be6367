/**
 * How an answer's Markdown looks in the real page: KaTeX math, headings sized for a chat bubble,
 * blockquotes without added quote marks, footnotes that scroll within the page, labelled task boxes
 * and code blocks reachable by keyboard when they scroll. The answer is imported (the tiny model
 * writes random text), so what is checked is the rendering, not the model.
 */
import { describe, expect, it } from "vitest";
import { useChatSuite } from "./support/chat-suite";
import { exportWithAnswer, importViaApi, UI_TIMEOUT } from "./support/chat-page";

const ANSWER = [
  "# A big heading",
  "",
  "Euler's identity is $e^{i\\pi} + 1 = 0$, and it costs $5 or $10.",
  "",
  "$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$",
  "",
  "> A quoted line.",
  "",
  "A claim that needs a source.[^1]",
  "",
  "- [x] checked item",
  "- [ ] open item",
  "",
  "```js",
  `const long = "${"x".repeat(400)}";`,
  "```",
  "",
  ...Array.from({ length: 40 }, (_, i) => `Filler paragraph ${i + 1}.`).flatMap((p) => [p, ""]),
  "[^1]: The source of the claim.",
].join("\n");

describe("answer rendering", () => {
  const { baseUrl, openChat } = useChatSuite();

  it("renders math with KaTeX, small headings, plain blockquotes, in-page footnotes, labelled tasks, focusable code", async () => {
    const id = await importViaApi(baseUrl, exportWithAnswer("Rendering check", ANSWER));
    const chat = await openChat(`/c/${id}`);
    const body = chat.answerBody();
    await body.waitFor({ timeout: UI_TIMEOUT });

    // Math: inline and display typeset, with MathML for screen readers; prices stay text.
    await expect.poll(() => body.locator(".katex").count(), { timeout: UI_TIMEOUT }).toBe(2);
    expect(await body.locator(".katex-display").count()).toBe(1);
    expect(await body.locator(".katex math annotation").first().textContent()).toBe("e^{i\\pi} + 1 = 0");
    expect(await body.textContent()).toContain("costs $5 or $10.");
    // KaTeX's stylesheet and fonts are loaded: the fraction is laid out, not shown as raw TeX.
    const fracHeight = await body.locator(".katex-display .mfrac").evaluate((el) => el.getBoundingClientRect().height);
    expect(fracHeight).toBeGreaterThan(20);
    expect(await body.locator(".katex-html").first().evaluate((el) => getComputedStyle(el).fontFamily)).toContain("KaTeX");

    // An answer's h1 is not a page title.
    const h1Size = await body.locator("h1").evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(h1Size).toBeLessThanOrEqual(22);

    // The blockquote gets a bar, not extra quote marks.
    const quoteMark = await body.locator("blockquote p").evaluate((el) => getComputedStyle(el, "::before").content);
    expect(["none", "normal"]).toContain(quoteMark);

    // Footnotes: no visible "Footnotes" heading; the reference scrolls within the page.
    const label = body.getByRole("heading", { name: "Footnotes" });
    expect(await label.evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
    const pagesBefore = chat.context.pages().length;
    const note = body.locator("section[data-footnotes] li").first();
    await body.locator("sup a").click();
    await expect.poll(() => note.isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
    await expect
      .poll(() => note.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }), { timeout: UI_TIMEOUT })
      .toBe(true);
    expect(chat.context.pages().length).toBe(pagesBefore);
    expect(new URL(chat.page.url()).pathname).toBe(`/c/${id}`);

    // Task boxes are named after their item.
    await expect.poll(() => body.getByRole("checkbox", { name: "checked item" }).isChecked()).toBe(true);
    expect(await body.getByRole("checkbox", { name: "open item" }).isChecked()).toBe(false);

    // The overflowing code block takes keyboard focus, so it can be scrolled without a mouse.
    const pre = body.locator("pre").first();
    await expect.poll(() => pre.getAttribute("tabindex"), { timeout: UI_TIMEOUT }).toBe("0");
  });
});
