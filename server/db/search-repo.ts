/** Full-text search over titles and message contents (FTS5 external-content indexes, see drizzle/0001_fts.sql). */
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
 * Matching conversations, most recently updated first, one hit each: the snippet of the first
 * matching message (it says more than the title the sidebar already shows), else of the title.
 * Snippets are computed only for the returned rows: a common word can match most messages, and
 * snippet() over all of them made a search over 20k messages take ~200 ms.
 */
export function searchConversations(db: Db, args: { query: string; limit: number }): SearchHit[] {
  const match = toFtsQuery(args.query);
  if (!match) return [];
  const ids = db
    .all<{ id: string }>(sql`
      SELECT c.id AS id FROM conversations c
      WHERE c.seq IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ${match})
         OR c.id IN (SELECT m.conversation_id FROM messages m
                     WHERE m.seq IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match}))
      ORDER BY c.updated_at DESC, c.seq DESC
      LIMIT ${args.limit}`)
    .map((row) => row.id);
  if (ids.length === 0) return [];
  const idList = JSON.stringify(ids);
  const snippets = new Map<string, string>();
  const firstHits = db.all<{ conversationId: string; seq: number }>(sql`
    SELECT m.conversation_id AS conversationId, min(m.seq) AS seq FROM messages m
    WHERE m.conversation_id IN (SELECT value FROM json_each(${idList}))
      AND m.seq IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match})
    GROUP BY m.conversation_id`);
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
