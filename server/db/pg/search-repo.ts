/**
 * Full-text search on PostgreSQL (tsvector columns + GIN, see drizzle/pg/0001_search.sql) with the
 * API and behaviour of ../search-repo.ts (FTS5): prefix terms, diacritics folded, the first hit on each
 * conversation's active branch, newest activity first, snippets of ~12 words with the match in «…»
 * and "…" where the text was cut.
 */
import { sql } from "drizzle-orm";
import { lowestOnActiveBranch, type BranchNode } from "../active-branch";
import { toTsQuery } from "../fts-query";
import { SNIPPET_CLOSE, SNIPPET_OPEN, type SearchHit } from "../search-repo";
import type { PgDb } from "./types";

// ts_headline's window: FTS5's snippet() is given 12 tokens.
const HEADLINE_OPTIONS = `StartSel="${SNIPPET_OPEN}", StopSel="${SNIPPET_CLOSE}", MaxWords=12, MinWords=6, ShortWord=0, HighlightAll=false`;

const query = (tsquery: string) => sql`to_tsquery('bitnet_search', ${tsquery})`;

async function firstActiveHits(db: PgDb, tsquery: string, conversationIds: readonly string[]): Promise<Map<string, number>> {
  const hits = await db.execute<{ conversationId: string; seqs: number[] }>(sql`
    SELECT m.conversation_id AS "conversationId", array_agg(m.seq) AS seqs FROM messages m
    WHERE m.search @@ ${query(tsquery)} AND m.conversation_id = ANY(${sql.param([...conversationIds])}::text[])
    GROUP BY m.conversation_id`);
  if (hits.rows.length === 0) return new Map();
  const hitSeqs = new Map(hits.rows.map((row) => [row.conversationId, new Set(row.seqs)]));
  const trees = await db.execute<{ conversationId: string; leaf: string | null; nodes: BranchNode[] }>(sql`
    SELECT c.id AS "conversationId", c.active_leaf_id AS leaf,
      (SELECT json_agg(json_build_array(m.id, m.parent_id, m.seq)) FROM messages m WHERE m.conversation_id = c.id) AS nodes
    FROM conversations c WHERE c.id = ANY(${sql.param([...hitSeqs.keys()])}::text[])`);
  const first = new Map<string, number>();
  for (const tree of trees.rows) {
    const lowest = lowestOnActiveBranch(tree.leaf, tree.nodes ?? [], hitSeqs.get(tree.conversationId)!);
    if (lowest !== undefined) first.set(tree.conversationId, lowest);
  }
  return first;
}

/** FTS5's snippet() marks a cut with "…"; ts_headline does not, so the cut ends are found in the text. */
function withEllipses(headline: string, text: string): string {
  const plain = headline.replaceAll(SNIPPET_OPEN, "").replaceAll(SNIPPET_CLOSE, "");
  const at = text.indexOf(plain);
  if (at < 0) return headline;
  return `${at > 0 ? "…" : ""}${headline}${at + plain.length < text.length ? "…" : ""}`;
}

export async function searchConversations(db: PgDb, args: { query: string; limit: number; ownerId?: string }): Promise<SearchHit[]> {
  const tsquery = toTsQuery(args.query);
  if (!tsquery) return [];
  const candidates = (
    await db.execute<{ id: string; titleHit: boolean }>(sql`
      SELECT c.id AS id, c.search @@ ${query(tsquery)} AS "titleHit"
      FROM conversations c
      WHERE (c.search @@ ${query(tsquery)}
         OR c.id IN (SELECT m.conversation_id FROM messages m WHERE m.search @@ ${query(tsquery)}))
        AND (${args.ownerId === undefined} OR c.owner_id = ${args.ownerId ?? ""})
      ORDER BY c.updated_at DESC, c.seq DESC`)
  ).rows;
  // As on SQLite: branches are walked only as far down the ranking as the limit needs.
  const ids: string[] = [];
  const firstHitSeq = new Map<string, number>();
  const chunk = Math.max(args.limit, 1);
  for (let from = 0; from < candidates.length && ids.length < args.limit; from += chunk) {
    const batch = candidates.slice(from, from + chunk);
    for (const [id, seq] of await firstActiveHits(db, tsquery, batch.map((c) => c.id))) firstHitSeq.set(id, seq);
    for (const c of batch) if (ids.length < args.limit && (c.titleHit || firstHitSeq.has(c.id))) ids.push(c.id);
  }
  if (ids.length === 0) return [];
  const snippets = new Map<string, string>();
  const messageSeqs = ids.flatMap((id) => (firstHitSeq.has(id) ? [firstHitSeq.get(id)!] : []));
  const messageSnippets = await db.execute<{ conversationId: string; content: string; headline: string }>(sql`
    SELECT m.conversation_id AS "conversationId", m.content AS content,
      ts_headline('bitnet_search', m.content, ${query(tsquery)}, ${HEADLINE_OPTIONS}) AS headline
    FROM messages m WHERE m.seq = ANY(${sql.param(messageSeqs)}::int[])`);
  for (const row of messageSnippets.rows) snippets.set(row.conversationId, withEllipses(row.headline, row.content));
  const missing = ids.filter((id) => !snippets.has(id));
  if (missing.length > 0) {
    const titleSnippets = await db.execute<{ conversationId: string; title: string; headline: string }>(sql`
      SELECT c.id AS "conversationId", c.title AS title, ts_headline('bitnet_search', c.title, ${query(tsquery)}, ${HEADLINE_OPTIONS}) AS headline
      FROM conversations c WHERE c.id = ANY(${sql.param(missing)}::text[])`);
    for (const row of titleSnippets.rows) snippets.set(row.conversationId, withEllipses(row.headline, row.title));
  }
  return ids.map((conversationId) => ({ conversationId, snippet: snippets.get(conversationId) ?? "" }));
}
