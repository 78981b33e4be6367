/**
 * Moves a SQLite chat store into PostgreSQL (from one person's machine to a shared server): every
 * conversation (title, settings, pin, the branch shown), every message of every version and branch (text,
 * status, stats, settings, errors, replay verdicts), the answers' token records and the saved presets —
 * ids and times kept, messages in their original order (PostgreSQL numbers `seq` anew, in the same
 * order, so versions and search results sort as before). All in one PostgreSQL transaction: a failure
 * leaves the target as it was. The target must be empty (no conversations, no presets) — copying twice,
 * or over another instance's data, would mix two histories.
 *
 * Rows are read from SQLite in pages, so memory stays bounded whatever the file's size. The two schemas
 * have the same row shapes (checked in pg/schema.ts), so rows pass through as they are, minus `seq`.
 */
import { asc, gt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import type { Pool } from "pg";
import * as sqliteSchema from "./schema";
import * as pgSchema from "./pg/schema";
import type { Db } from "./types";

export interface CopyCounts {
  conversations: number;
  messages: number;
  tokenRecords: number;
  presets: number;
  /** Accounts (BITNET_AUTH=accounts), with their password hashes: the copied rows keep their owners. */
  users: number;
}

const ROWS_PER_PAGE = 500;
/** Token record blobs are up to ≈ 130 KB each: fewer per page. */
const BLOBS_PER_PAGE = 50;

export class TargetNotEmptyError extends Error {
  constructor(conversations: number, presets: number) {
    super(`The PostgreSQL database already holds ${conversations} conversation(s) and ${presets} preset(s): copy into an empty database.`);
    this.name = "TargetNotEmptyError";
  }
}

/** `target` must be migrated (PgStore.ping does it). */
export async function copySqliteToPostgres(source: Db, target: Pool, onProgress?: (copied: CopyCounts) => void): Promise<CopyCounts> {
  const { rows } = await target.query<{ conversations: number; presets: number }>(
    "SELECT (SELECT count(*)::int FROM conversations) AS conversations, (SELECT count(*)::int FROM presets) AS presets",
  );
  if (rows[0]!.conversations > 0 || rows[0]!.presets > 0) throw new TargetNotEmptyError(rows[0]!.conversations, rows[0]!.presets);

  const copied: CopyCounts = { conversations: 0, messages: 0, tokenRecords: 0, presets: 0, users: 0 };
  const pg = drizzle(target, { schema: pgSchema });
  /** Copies one table in pages read after a cursor (the last row's key), so memory stays bounded. */
  const copyPages = async <R, K>(kind: keyof CopyCounts, first: K, read: (after: K) => R[], key: (row: R) => K, write: (rows: R[]) => Promise<unknown>) => {
    for (let after = first; ; ) {
      const page = read(after);
      if (page.length === 0) return;
      after = key(page.at(-1)!);
      await write(page);
      copied[kind] += page.length;
      onProgress?.({ ...copied });
    }
  };
  // `seq` is PostgreSQL's own identity: rows inserted in `seq` order keep their order.
  const withoutSeq = <R extends { seq: number }>(rows: R[]): Omit<R, "seq">[] => rows.map(({ seq: _seq, ...row }) => row);
  const bySeq = (row: { seq: number }) => row.seq;
  const { conversations, presets, messages, messageTokens, users } = sqliteSchema;
  await pg.transaction(async (tx) => {
    // Conversations and presets first, then messages (a parent is always older than its replies), then
    // the token records of those messages.
    await copyPages(
      "conversations",
      0,
      (after) => source.select().from(conversations).where(gt(conversations.seq, after)).orderBy(asc(conversations.seq)).limit(ROWS_PER_PAGE).all(),
      bySeq,
      (rows) => tx.insert(pgSchema.conversations).values(withoutSeq(rows)),
    );
    await copyPages(
      "presets",
      0,
      (after) => source.select().from(presets).where(gt(presets.seq, after)).orderBy(asc(presets.seq)).limit(ROWS_PER_PAGE).all(),
      bySeq,
      (rows) => tx.insert(pgSchema.presets).values(withoutSeq(rows)),
    );
    await copyPages(
      "users",
      0,
      (after) => source.select().from(users).where(gt(users.seq, after)).orderBy(asc(users.seq)).limit(ROWS_PER_PAGE).all(),
      bySeq,
      (rows) => tx.insert(pgSchema.users).values(withoutSeq(rows)),
    );
    await copyPages(
      "messages",
      0,
      (after) => source.select().from(messages).where(gt(messages.seq, after)).orderBy(asc(messages.seq)).limit(ROWS_PER_PAGE).all(),
      bySeq,
      (rows) => tx.insert(pgSchema.messages).values(withoutSeq(rows)),
    );
    await copyPages(
      "tokenRecords",
      "",
      (after) => source.select().from(messageTokens).where(gt(messageTokens.messageId, after)).orderBy(asc(messageTokens.messageId)).limit(BLOBS_PER_PAGE).all(),
      (row) => row.messageId,
      (rows) => tx.insert(pgSchema.messageTokens).values(rows),
    );
  });
  return copied;
}
