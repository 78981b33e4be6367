export const AUTO_TITLE_CHARS = 60;

/**
 * A conversation's first title, from the first message: whitespace collapsed, cut at the last word
 * boundary before ~60 characters (a single long word is cut hard), with an ellipsis when shortened.
 */
export function autoTitle(firstMessage: string, maxChars = AUTO_TITLE_CHARS): string {
  const text = firstMessage.replace(/\s+/g, " ").trim();
  if (text.length === 0) return "New chat";
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  const head = chars.slice(0, maxChars).join("");
  const space = head.lastIndexOf(" ");
  const cut = space >= maxChars / 3 ? head.slice(0, space) : head;
  return `${cut.replace(/[\s,.;:!?-]+$/u, "")}…`;
}
