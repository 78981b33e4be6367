/** Conversation queries, one function per query. Synchronous: see ./types.ts. */
import { and, desc, eq, sql } from "drizzle-orm";
import type { GenerationParams } from "@/lib/schemas/params";
import { NO_OWNER } from "./owner";
import { conversations, messages, type ConversationRow } from "./schema";
import type { Db } from "./types";

export interface ConversationSummaryRow {
  id: string;
  title: string;
  createdAt: Date;
  updatedAt: Date;
  pinned: boolean;
  messageCount: number;
}

const summaryColumns = {
  id: conversations.id,
  title: conversations.title,
  createdAt: conversations.createdAt,
  updatedAt: conversations.updatedAt,
  pinned: conversations.pinned,
  // Written out with aliases: inside a select list drizzle renders bare column names, which the
  // subquery would resolve against `messages` itself.
  messageCount: sql<number>`(SELECT count(*) FROM messages AS m WHERE m.conversation_id = "conversations"."id")`,
};

/** Only `ownerId`'s rows; every row when it is undefined (no accounts: server/db/owned-store.ts). */
function ownedBy(ownerId: string | undefined) {
  return ownerId === undefined ? undefined : eq(conversations.ownerId, ownerId);
}

export function createConversation(
  db: Db,
  args: { id: string; title: string; params: GenerationParams; createdAt: Date; updatedAt?: Date; ownerId?: string },
): ConversationRow {
  return db
    .insert(conversations)
    .values({ id: args.id, title: args.title, params: args.params, createdAt: args.createdAt, updatedAt: args.updatedAt ?? args.createdAt, ownerId: args.ownerId ?? NO_OWNER })
    .returning()
    .get();
}

export function getConversation(db: Db, args: { id: string }): ConversationRow | undefined {
  return db.select().from(conversations).where(eq(conversations.id, args.id)).get();
}

/** Used by import to recognise a copy of a conversation that is still here. */
export function findConversationByTitleAndCreation(db: Db, args: { title: string; createdAt: Date; ownerId?: string }): { id: string } | undefined {
  return db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.title, args.title), eq(conversations.createdAt, args.createdAt), ownedBy(args.ownerId)))
    .get();
}

export function getConversationSummary(db: Db, args: { id: string }): ConversationSummaryRow | undefined {
  return db.select(summaryColumns).from(conversations).where(eq(conversations.id, args.id)).get();
}

/**
 * Pinned first, then newest activity; `seq` breaks ties between conversations touched in the same
 * millisecond. Pinned ones come first so the limit never hides them.
 */
export function listConversations(db: Db, args: { limit: number; ownerId?: string }): ConversationSummaryRow[] {
  return db
    .select(summaryColumns)
    .from(conversations)
    .where(ownedBy(args.ownerId))
    .orderBy(desc(conversations.pinned), desc(conversations.updatedAt), desc(conversations.seq))
    .limit(args.limit)
    .all();
}

export function listConversationsByIds(db: Db, args: { ids: string[]; ownerId?: string }): ConversationSummaryRow[] {
  if (args.ids.length === 0) return [];
  return db
    .select(summaryColumns)
    .from(conversations)
    .where(and(sql`${conversations.id} IN (SELECT value FROM json_each(${JSON.stringify(args.ids)}))`, ownedBy(args.ownerId)))
    .orderBy(desc(conversations.updatedAt), desc(conversations.seq))
    .all();
}

/** Returns false when no conversation has that id. */
export function renameConversation(db: Db, args: { id: string; title: string; updatedAt: Date }): boolean {
  const result = db
    .update(conversations)
    .set({ title: args.title, updatedAt: args.updatedAt })
    .where(eq(conversations.id, args.id))
    .run();
  return result.changes > 0;
}

export function updateConversationParams(db: Db, args: { id: string; params: GenerationParams; updatedAt: Date }): boolean {
  const result = db
    .update(conversations)
    .set({ params: args.params, updatedAt: args.updatedAt })
    .where(eq(conversations.id, args.id))
    .run();
  return result.changes > 0;
}

/** Pinning is not activity: `updatedAt` stays. */
export function setConversationPinned(db: Db, args: { id: string; pinned: boolean }): boolean {
  return db.update(conversations).set({ pinned: args.pinned }).where(eq(conversations.id, args.id)).run().changes > 0;
}

export function touchConversation(db: Db, args: { id: string; updatedAt: Date }): boolean {
  const result = db.update(conversations).set({ updatedAt: args.updatedAt }).where(eq(conversations.id, args.id)).run();
  return result.changes > 0;
}

/** Which branch is shown and continued; not a change of content, so `updatedAt` stays. */
export function setActiveLeaf(db: Db, args: { id: string; leafId: string | null }): boolean {
  return db.update(conversations).set({ activeLeafId: args.leafId }).where(eq(conversations.id, args.id)).run().changes > 0;
}

/**
 * Messages go with it, deleted by conversation, and their token records and FTS entries with them. Not by
 * the `parent_id` cascade: that nests one trigger level per message of a chain, and SQLite gives up at
 * 1,000 ("too many levels of trigger recursion"). Detaching the messages first leaves nothing to cascade.
 * A transaction of its own (a savepoint inside the caller's): the tree is never left detached.
 */
export function deleteConversation(db: Db, args: { id: string }): boolean {
  return db.transaction((tx) => {
    tx.update(messages).set({ parentId: null }).where(eq(messages.conversationId, args.id)).run();
    tx.delete(messages).where(eq(messages.conversationId, args.id)).run();
    return tx.delete(conversations).where(eq(conversations.id, args.id)).run().changes > 0;
  });
}
