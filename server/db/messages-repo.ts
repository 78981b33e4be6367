/** Message queries, one function per query. Synchronous: see ./types.ts. */
import { and, asc, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { conversations, messages, type MessageRow, type NewMessageRow } from "./schema";
import type { Db } from "./types";

export function insertMessage(db: Db, args: { message: Omit<NewMessageRow, "seq"> }): MessageRow {
  return db.insert(messages).values(args.message).returning().get();
}

/** Several messages in order (an import, or restoring rows after a rejected turn). */
export function insertMessages(db: Db, args: { messages: Omit<NewMessageRow, "seq">[] }): void {
  // One statement per row keeps `seq` in the given order and stays under SQLite's variable limit.
  for (const message of args.messages) db.insert(messages).values(message).run();
}

export type MessagePatch = Partial<Omit<NewMessageRow, "seq" | "id" | "conversationId" | "role">>;

export function updateMessage(db: Db, args: { id: string; patch: MessagePatch }): boolean {
  return db.update(messages).set(args.patch).where(eq(messages.id, args.id)).run().changes > 0;
}

/** In conversation order. */
export function listMessages(db: Db, args: { conversationId: string }): MessageRow[] {
  return db.select().from(messages).where(eq(messages.conversationId, args.conversationId)).orderBy(asc(messages.seq)).all();
}

export function getMessage(db: Db, args: { id: string }): MessageRow | undefined {
  return db.select().from(messages).where(eq(messages.id, args.id)).get();
}

export function deleteMessages(db: Db, args: { ids: string[] }): number {
  if (args.ids.length === 0) return 0;
  return db.delete(messages).where(inArray(messages.id, args.ids)).run().changes;
}

/** The newest answers that have stats (any conversation), newest first: the efficiency chart's points. */
export function listRecentAnswers(db: Db, args: { limit: number; ownerId?: string }): Pick<MessageRow, "id" | "stats" | "createdAt">[] {
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
    .limit(args.limit)
    .all();
}
