/**
 * BitNet (like most chat models) writes LaTeX with `\( … \)` and `\[ … \]`, which remark-math does not
 * read: in Markdown `\(` and `\[` are escapes, so the parser drops the backslash before any plugin
 * sees it. The text is therefore rewritten before parsing, to the `$…$` / `$$…$$` that remark-math
 * reads, outside code (fenced blocks and inline code spans keep every backslash the model wrote).
 * Hand-written: no maintained micromark extension reads these delimiters.
 */

/** Fenced code blocks (to their closing fence, or to the end while one streams in) and inline code spans. */
const CODE = /(^|\n)( {0,3})(`{3,}|~{3,})[^\n]*(?:\n[\s\S]*?(?:\n {0,3}\3[`~]*[ \t]*(?=\n|$))|[\s\S]*$)|(`+)[\s\S]*?[^`]\4(?!`)/g;

/**
 * `\[ … \]` (may span lines) and `\( … \)` (one paragraph), not after another backslash (`\\[` is a
 * line break in LaTeX or an escaped backslash in Markdown). `\[1\]` with digits alone is a Markdown
 * escaped citation, not math.
 */
const DISPLAY = /(?<!\\)\\\[([\s\S]+?)(?<!\\)\\\]/g;
const INLINE = /(?<!\\)\\\(((?:(?!\n\s*\n)[\s\S])+?)(?<!\\)\\\)/g;

function rewriteMath(text: string): string {
  return text
    .replace(DISPLAY, (whole, inner: string) => (/^\s*\d+\s*$/.test(inner) ? whole : inner.includes("\n") ? `\n$$\n${inner.trim()}\n$$\n` : `$$${inner.trim()}$$`))
    .replace(INLINE, (_whole, inner: string) => `$${inner.trim()}$`);
}

export function normalizeLatexDelimiters(markdown: string): string {
  if (!markdown.includes("\\(") && !markdown.includes("\\[")) return markdown;
  let out = "";
  let last = 0;
  for (const match of markdown.matchAll(CODE)) {
    out += rewriteMath(markdown.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + rewriteMath(markdown.slice(last));
}
