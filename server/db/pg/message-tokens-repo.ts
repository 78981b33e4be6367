/** Token-record blobs on PostgreSQL (bytea): the same functions as ../message-tokens-repo.ts. */
import { eq, inArray } from "drizzle-orm";
import { messageTokens } from "./schema";
import type { PgDb } from "./types";

export async function saveMessageTokens(db: PgDb, args: { messageId: string; data: Buffer }): Promise<void> {
  await db
    .insert(messageTokens)
    .values({ messageId: args.messageId, data: args.data })
    .onConflictDoUpdate({ target: messageTokens.messageId, set: { data: args.data } });
}

export async function getMessageTokens(db: PgDb, args: { messageId: string }): Promise<Buffer | undefined> {
  const [row] = await db.select({ data: messageTokens.data }).from(messageTokens).where(eq(messageTokens.messageId, args.messageId));
  return row?.data;
}

export async function listRecordedMessageIds(db: PgDb, args: { messageIds: string[] }): Promise<Set<string>> {
  if (args.messageIds.length === 0) return new Set();
  const rows = await db.select({ id: messageTokens.messageId }).from(messageTokens).where(inArray(messageTokens.messageId, args.messageIds));
  return new Set(rows.map((row) => row.id));
}

export async function listMessageTokens(db: PgDb, args: { messageIds: string[] }): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (args.messageIds.length === 0) return out;
  for (const row of await db.select().from(messageTokens).where(inArray(messageTokens.messageId, args.messageIds))) out.set(row.messageId, row.data);
  return out;
}
