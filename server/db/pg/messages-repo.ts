/** Message queries on PostgreSQL: the same functions, arguments and rows as ../messages-repo.ts. */
import { and, asc, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { MessagePatch } from "../messages-repo";
import type { MessageRow, NewMessageRow } from "../schema";
import { conversations, messages } from "./schema";
import type { PgDb } from "./types";

export async function insertMessage(db: PgDb, args: { message: Omit<NewMessageRow, "seq"> }): Promise<MessageRow> {
  const [row] = await db.insert(messages).values(args.message).returning();
  return row!;
}

/** One multi-row INSERT: PostgreSQL assigns the identity values in the order of the rows. */
export async function insertMessages(db: PgDb, args: { messages: Omit<NewMessageRow, "seq">[] }): Promise<void> {
  // Chunks stay well under PostgreSQL's 65,535 bound parameters (11 columns a row).
  for (let i = 0; i < args.messages.length; i += 1000) await db.insert(messages).values(args.messages.slice(i, i + 1000));
}

export async function updateMessage(db: PgDb, args: { id: string; patch: MessagePatch }): Promise<boolean> {
  return ((await db.update(messages).set(args.patch).where(eq(messages.id, args.id))).rowCount ?? 0) > 0;
}

export function listMessages(db: PgDb, args: { conversationId: string }): Promise<MessageRow[]> {
  return db.select().from(messages).where(eq(messages.conversationId, args.conversationId)).orderBy(asc(messages.seq));
}

export async function getMessage(db: PgDb, args: { id: string }): Promise<MessageRow | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, args.id));
  return row;
}

export async function deleteMessages(db: PgDb, args: { ids: string[] }): Promise<number> {
  if (args.ids.length === 0) return 0;
  return (await db.delete(messages).where(inArray(messages.id, args.ids))).rowCount ?? 0;
}

export function listRecentAnswers(db: PgDb, args: { limit: number; ownerId?: string }): Promise<Pick<MessageRow, "id" | "stats" | "createdAt">[]> {
  return db
    .select({ id: messages.id, stats: messages.stats, createdAt: messages.createdAt })
    .from(messages)
    .where(
      and(
        eq(messages.role, "assistant"),
        isNotNull(messages.stats),
        args.ownerId === undefined ? undefined : inArray(messages.conversationId, db.select({ id: conversations.id }).from(conversations).where(eq(conversations.ownerId, args.ownerId))),
      ),
    )
    .orderBy(desc(messages.seq))
    .limit(args.limit);
}
