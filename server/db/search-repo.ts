/** Full-text search over titles and message contents (FTS5 external-content indexes, see drizzle/0001_fts.sql). */
import { sql } from "drizzle-orm";
import { toFtsQuery } from "./fts-query";
import type { Db } from "./types";

export const SNIPPET_OPEN = "«";
export const SNIPPET_CLOSE = "»";

export interface SearchHit {
  conversationId: string;
  /** The best-ranked matching text of that conversation, the match wrapped in «…». */
  snippet: string;
}

const SNIPPET_TOKENS = 12;
const MAX_ROWS = 2_000;

/**
 * One hit per conversation, best first: a matching message's snippet when there is one (it says
 * more than the title the sidebar already shows), else the title's.
 */
export function searchConversations(db: Db, args: { query: string; limit: number }): SearchHit[] {
  const match = toFtsQuery(args.query);
  if (!match) return [];
  const messageHits = db.all<{ conversationId: string; snippet: string }>(sql`
    SELECT m.conversation_id AS conversationId,
           snippet(messages_fts, 0, ${SNIPPET_OPEN}, ${SNIPPET_CLOSE}, '…', ${SNIPPET_TOKENS}) AS snippet
    FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid
    WHERE messages_fts MATCH ${match}
    ORDER BY bm25(messages_fts) LIMIT ${MAX_ROWS}`);
  const titleHits = db.all<{ conversationId: string; snippet: string }>(sql`
    SELECT c.id AS conversationId,
           snippet(conversations_fts, 0, ${SNIPPET_OPEN}, ${SNIPPET_CLOSE}, '…', ${SNIPPET_TOKENS}) AS snippet
    FROM conversations_fts JOIN conversations c ON c.seq = conversations_fts.rowid
    WHERE conversations_fts MATCH ${match}
    ORDER BY bm25(conversations_fts) LIMIT ${MAX_ROWS}`);
  const best = new Map<string, string>();
  for (const hit of [...messageHits, ...titleHits]) {
    if (!best.has(hit.conversationId)) best.set(hit.conversationId, hit.snippet);
  }
  return [...best].slice(0, args.limit).map(([conversationId, snippet]) => ({ conversationId, snippet }));
}
