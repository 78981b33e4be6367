/**
 * Turns what a user typed into a safe FTS5 query: each word becomes a quoted prefix term
 * (`"word"*`), all of them required. Quoting neutralises FTS5 syntax (AND, NEAR, column filters,
 * stray quotes), and the prefix makes search-as-you-type find "hel" in "hello".
 * Returns null when nothing searchable is left (only punctuation).
 */
export function toFtsQuery(input: string): string | null {
  const terms = input
    .split(/\s+/u)
    .map((word) => word.replace(/"/g, ""))
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .slice(0, 16);
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term}"*`).join(" ");
}
