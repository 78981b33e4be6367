/**
 * What a user typed, as a safe full-text query for either dialect: each word is a required prefix
 * term (search-as-you-type finds "hel" in "hello"); the user's text never reaches the query parser
 * as syntax. Both return null when nothing searchable is left (only punctuation).
 */

function searchWords(input: string): string[] {
  return input
    .split(/\s+/u)
    .map((word) => word.replace(/"/g, ""))
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .slice(0, 16);
}

/** FTS5: `"word"*` per word. Quoting neutralises FTS5 syntax (AND, NEAR, column filters, stray quotes). */
export function toFtsQuery(input: string): string | null {
  const terms = searchWords(input);
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term}"*`).join(" ");
}

/**
 * PostgreSQL `to_tsquery` text with FTS5's meaning: a word is split at non-letters/digits as
 * unicode61 splits it, its parts must follow each other (`<->`, FTS5's phrase), the last one as a
 * prefix (`:*`); words are ANDed. Only letters and digits reach the query, each part quoted, so
 * tsquery operators in the input are plain text. (plainto_tsquery and websearch_to_tsquery cannot
 * express a prefix, which search-as-you-type needs.)
 */
export function toTsQuery(input: string): string | null {
  const words = searchWords(input)
    .map((word) => word.split(/[^\p{L}\p{N}]+/u).filter(Boolean))
    .filter((parts) => parts.length > 0);
  if (words.length === 0) return null;
  return words.map((parts) => parts.map((part, i) => `'${part}'${i === parts.length - 1 ? ":*" : ""}`).join(" <-> ")).join(" & ");
}
