/** Full-text search over titles and the active branch's messages (FTS5 external-content indexes, see drizzle/0001_fts.sql). */
import { sql } from "drizzle-orm";
import { toFtsQuery } from "./fts-query";
import type { Db } from "./types";

export const SNIPPET_OPEN = "«";
export const SNIPPET_CLOSE = "»";
const SNIPPET_TOKENS = 12;

export interface SearchHit {
  conversationId: string;
  /** The matching text, the match wrapped in «…». */
  snippet: string;
}

/**
 * Messages matching `match` that lie on their conversation's active branch (the path from the
 * active leaf up to the root, walked by a recursive CTE only for conversations with a match):
 * search finds what opening the conversation shows, not a replaced version of an answer.
 * As a CTE prefix: `active_hit(seq, conversation_id)`.
 */
function activeHitsCte(match: string) {
  return sql`WITH RECURSIVE
    hit AS (SELECT m.seq AS seq, m.id AS id, m.conversation_id AS conversation_id FROM messages m
            WHERE m.seq IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match})),
    branch(id, parent_id) AS (
      SELECT m.id, m.parent_id FROM conversations c
      JOIN messages m ON m.id = coalesce(c.active_leaf_id,
        (SELECT n.id FROM messages n WHERE n.conversation_id = c.id ORDER BY n.seq DESC LIMIT 1))
      WHERE c.id IN (SELECT conversation_id FROM hit)
      UNION ALL
      SELECT m.id, m.parent_id FROM branch b JOIN messages m ON m.id = b.parent_id),
    active_hit AS (SELECT seq, conversation_id FROM hit WHERE id IN (SELECT id FROM branch))`;
}

/**
 * Matching conversations, most recently updated first, one hit each: the snippet of the first
 * matching message of the active branch (it says more than the title the sidebar already shows),
 * else of the title.
 * Snippets are computed only for the returned rows: a common word can match most messages, and
 * snippet() over all of them made a search over 20k messages take ~200 ms.
 */
export function searchConversations(db: Db, args: { query: string; limit: number }): SearchHit[] {
  const match = toFtsQuery(args.query);
  if (!match) return [];
  const ids = db
    .all<{ id: string }>(sql`
      ${activeHitsCte(match)}
      SELECT c.id AS id FROM conversations c
      WHERE c.seq IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ${match})
         OR c.id IN (SELECT conversation_id FROM active_hit)
      ORDER BY c.updated_at DESC, c.seq DESC
      LIMIT ${args.limit}`)
    .map((row) => row.id);
  if (ids.length === 0) return [];
  const idList = JSON.stringify(ids);
  const snippets = new Map<string, string>();
  const firstHits = db.all<{ conversationId: string; seq: number }>(sql`
    ${activeHitsCte(match)}
    SELECT conversation_id AS conversationId, min(seq) AS seq FROM active_hit
    WHERE conversation_id IN (SELECT value FROM json_each(${idList}))
    GROUP BY conversation_id`);
  const conversationOf = new Map(firstHits.map((hit) => [hit.seq, hit.conversationId]));
  // No join and a unary + on the rowid filter: either lets SQLite probe FTS5 once per row, re-running
  // the whole full-text query each time (~1 ms per row); this way the query runs once.
  const messageSnippets = db.all<{ seq: number; snippet: string }>(sql`
    SELECT rowid AS seq, snippet(messages_fts, 0, ${SNIPPET_OPEN}, ${SNIPPET_CLOSE}, '…', ${SNIPPET_TOKENS}) AS snippet
    FROM messages_fts
    WHERE messages_fts MATCH ${match} AND +rowid IN (SELECT value FROM json_each(${JSON.stringify([...conversationOf.keys()])}))`);
  for (const row of messageSnippets) snippets.set(conversationOf.get(row.seq)!, row.snippet);
  const missing = ids.filter((id) => !snippets.has(id));
  if (missing.length > 0) {
    const titleSnippets = db.all<{ conversationId: string; snippet: string }>(sql`
      SELECT c.id AS conversationId, t.snippet AS snippet
      FROM (SELECT rowid AS seq, snippet(conversations_fts, 0, ${SNIPPET_OPEN}, ${SNIPPET_CLOSE}, '…', ${SNIPPET_TOKENS}) AS snippet
            FROM conversations_fts WHERE conversations_fts MATCH ${match}
              AND +rowid IN (SELECT seq FROM conversations WHERE id IN (SELECT value FROM json_each(${JSON.stringify(missing)})))) AS t
      JOIN conversations c ON c.seq = t.seq`);
    for (const row of titleSnippets) snippets.set(row.conversationId, row.snippet);
  }
  return ids.map((conversationId) => ({ conversationId, snippet: snippets.get(conversationId) ?? "" }));
}
