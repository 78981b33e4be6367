/** Full-text search over titles and the active branch's messages (FTS5 external-content indexes, see drizzle/sqlite/0001_fts.sql). */
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
 * The first matching message (lowest seq) of each conversation's active branch (the path from the
 * active leaf up to the root): search finds what opening the conversation shows, not a replaced
 * version of an answer. The branches are walked here from one indexed read of the matching
 * conversations' (id, parent) pairs: a recursive CTE over the same rows was planned as a nested loop
 * and took seconds at 20k messages (scripts/bench-search-branches.ts).
 */
function firstActiveHits(db: Db, match: string): Map<string, number> {
  const hits = db.all<{ seq: number; id: string; conversationId: string }>(sql`
    SELECT m.seq AS seq, m.id AS id, m.conversation_id AS conversationId FROM messages m
    WHERE m.seq IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match})`);
  if (hits.length === 0) return new Map();
  const conversationIds = JSON.stringify([...new Set(hits.map((hit) => hit.conversationId))]);
  const nodes = db.all<{ id: string; parentId: string | null; seq: number; conversationId: string }>(sql`
    SELECT m.id AS id, m.parent_id AS parentId, m.seq AS seq, m.conversation_id AS conversationId FROM messages m
    WHERE m.conversation_id IN (SELECT value FROM json_each(${conversationIds}))`);
  const leaves = db.all<{ id: string; leaf: string | null }>(sql`
    SELECT id, active_leaf_id AS leaf FROM conversations WHERE id IN (SELECT value FROM json_each(${conversationIds}))`);
  const parentOf = new Map(nodes.map((n) => [n.id, n.parentId]));
  // No active leaf stored: the newest message, as message-tree's activePath does.
  const newest = new Map<string, { id: string; seq: number }>();
  for (const n of nodes) if ((newest.get(n.conversationId)?.seq ?? -1) < n.seq) newest.set(n.conversationId, n);
  const onBranch = new Set<string>();
  for (const { id, leaf } of leaves) {
    for (let at = leaf && parentOf.has(leaf) ? leaf : (newest.get(id)?.id ?? null); at && !onBranch.has(at); at = parentOf.get(at) ?? null) {
      onBranch.add(at);
    }
  }
  const first = new Map<string, number>();
  for (const hit of hits) {
    if (onBranch.has(hit.id) && (first.get(hit.conversationId) ?? Infinity) > hit.seq) first.set(hit.conversationId, hit.seq);
  }
  return first;
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
  const firstHitSeq = firstActiveHits(db, match);
  const ids = db
    .all<{ id: string }>(sql`
      SELECT c.id AS id FROM conversations c
      WHERE c.seq IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ${match})
         OR c.id IN (SELECT value FROM json_each(${JSON.stringify([...firstHitSeq.keys()])}))
      ORDER BY c.updated_at DESC, c.seq DESC
      LIMIT ${args.limit}`)
    .map((row) => row.id);
  if (ids.length === 0) return [];
  const snippets = new Map<string, string>();
  const conversationOf = new Map(ids.flatMap((id) => (firstHitSeq.has(id) ? [[firstHitSeq.get(id)!, id] as const] : [])));
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
