/** Full-text search over titles and the active branch's messages (FTS5 external-content indexes, see drizzle/sqlite/0001_fts.sql). */
import { sql } from "drizzle-orm";
import { lowestOnActiveBranch, type BranchNode } from "./active-branch";
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
 * The first matching message (lowest seq) on the active branch (the path from the active leaf up to
 * the root) of each of `conversationIds`: search finds what opening the conversation shows, not a
 * replaced version of an answer. Two reads with one row per conversation (its hits; its messages'
 * (id, parent, seq) as one JSON array), then the branch is walked here. Measured against the
 * alternatives (scripts/bench/bench-search-branches.ts): a recursive CTE walking the branches in SQLite
 * costs ~5 µs per step, and one row per message costs as much in row conversion; a JSON array per
 * conversation costs ~10 µs per conversation.
 */
function firstActiveHits(db: Db, match: string, conversationIds: readonly string[]): Map<string, number> {
  const hits = db.all<{ conversationId: string; seqs: string }>(sql`
    SELECT m.conversation_id AS conversationId, json_group_array(m.seq) AS seqs FROM messages m
    WHERE m.seq IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match})
      AND m.conversation_id IN (SELECT value FROM json_each(${JSON.stringify(conversationIds)}))
    GROUP BY m.conversation_id`);
  if (hits.length === 0) return new Map();
  const hitSeqs = new Map(hits.map((row) => [row.conversationId, new Set(JSON.parse(row.seqs) as number[])]));
  const trees = db.all<{ conversationId: string; leaf: string | null; nodes: string }>(sql`
    SELECT c.id AS conversationId, c.active_leaf_id AS leaf,
      (SELECT json_group_array(json_array(m.id, m.parent_id, m.seq)) FROM messages m WHERE m.conversation_id = c.id) AS nodes
    FROM conversations c WHERE c.id IN (SELECT value FROM json_each(${JSON.stringify([...hitSeqs.keys()])}))`);
  const first = new Map<string, number>();
  for (const tree of trees) {
    const lowest = lowestOnActiveBranch(tree.leaf, JSON.parse(tree.nodes) as BranchNode[], hitSeqs.get(tree.conversationId)!);
    if (lowest !== undefined) first.set(tree.conversationId, lowest);
  }
  return first;
}

/**
 * Matching conversations, most recently updated first, one hit each: the snippet of the first
 * matching message of the active branch (it says more than the title the sidebar already shows),
 * else of the title.
 * Branches are walked only as far down the ranking as needed: candidates (a title hit, or a hit in
 * any message) are checked `limit` at a time, most recent first, until `limit` have a title hit or a
 * hit on their active branch. Walking every matching conversation's branch (or reading all their
 * messages) first cost 4–25× the pre-tree search at 500 conversations × 40 messages
 * (scripts/bench/bench-search-branches.ts, docs/performance.md).
 * Snippets are computed only for the returned rows: a common word can match most messages, and
 * snippet() over all of them made a search over 20k messages take ~200 ms.
 */
/** With `ownerId`, only that account's conversations (server/db/owner.ts). */
export function searchConversations(db: Db, args: { query: string; limit: number; ownerId?: string }): SearchHit[] {
  const match = toFtsQuery(args.query);
  if (!match) return [];
  const candidates = db.all<{ id: string; titleHit: number }>(sql`
    SELECT c.id AS id, c.seq IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ${match}) AS titleHit
    FROM conversations c
    WHERE (c.seq IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ${match})
       OR c.id IN (SELECT m.conversation_id FROM messages m WHERE m.seq IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match})))
      AND (${args.ownerId === undefined ? 1 : 0} OR c.owner_id = ${args.ownerId ?? ""})
    ORDER BY c.updated_at DESC, c.seq DESC`);
  const ids: string[] = [];
  const firstHitSeq = new Map<string, number>();
  const chunk = Math.max(args.limit, 1);
  for (let from = 0; from < candidates.length && ids.length < args.limit; from += chunk) {
    const batch = candidates.slice(from, from + chunk);
    for (const [id, seq] of firstActiveHits(db, match, batch.map((c) => c.id))) firstHitSeq.set(id, seq);
    for (const c of batch) if (ids.length < args.limit && (c.titleHit || firstHitSeq.has(c.id))) ids.push(c.id);
  }
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
