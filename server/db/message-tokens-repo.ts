/** An answer's token-record blob (see ./token-blob.ts), one function per query. Synchronous: see ./types.ts. */
import { eq, inArray } from "drizzle-orm";
import { messageTokens } from "./schema";
import type { Db } from "./types";

/** Writes (or replaces) the blob of one message. */
export function saveMessageTokens(db: Db, args: { messageId: string; data: Buffer }): void {
  db.insert(messageTokens)
    .values({ messageId: args.messageId, data: args.data })
    .onConflictDoUpdate({ target: messageTokens.messageId, set: { data: args.data } })
    .run();
}

export function getMessageTokens(db: Db, args: { messageId: string }): Buffer | undefined {
  return db.select({ data: messageTokens.data }).from(messageTokens).where(eq(messageTokens.messageId, args.messageId)).get()?.data;
}

/** Which of these messages have token records (ids only: no blob is read). */
export function listRecordedMessageIds(db: Db, args: { messageIds: string[] }): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < args.messageIds.length; i += 500) {
    const rows = db.select({ id: messageTokens.messageId }).from(messageTokens).where(inArray(messageTokens.messageId, args.messageIds.slice(i, i + 500))).all();
    for (const row of rows) out.add(row.id);
  }
  return out;
}

/** The blobs of several messages (an export), by message id. */
export function listMessageTokens(db: Db, args: { messageIds: string[] }): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  // Chunks stay under SQLite's bound-variable limit.
  for (let i = 0; i < args.messageIds.length; i += 500) {
    const rows = db.select().from(messageTokens).where(inArray(messageTokens.messageId, args.messageIds.slice(i, i + 500))).all();
    for (const row of rows) out.set(row.messageId, row.data);
  }
  return out;
}
