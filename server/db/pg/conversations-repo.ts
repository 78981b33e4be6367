/** Conversation queries on PostgreSQL: the same functions, arguments and rows as ../conversations-repo.ts. */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { GenerationParams } from "@/lib/schemas/params";
import type { ConversationSummaryRow } from "../conversations-repo";
import type { ConversationRow } from "../schema";
import { NO_OWNER } from "../owner";
import { conversations, messages } from "./schema";
import type { PgDb } from "./types";

const summaryColumns = {
  id: conversations.id,
  title: conversations.title,
  createdAt: conversations.createdAt,
  updatedAt: conversations.updatedAt,
  pinned: conversations.pinned,
  // count(*) is a bigint, which node-postgres hands over as a string.
  messageCount: sql<number>`(SELECT count(*)::int FROM messages AS m WHERE m.conversation_id = "conversations"."id")`,
};

/** Only `ownerId`'s rows; every row when it is undefined (no accounts: server/db/owned-store.ts). */
function ownedBy(ownerId: string | undefined) {
  return ownerId === undefined ? undefined : eq(conversations.ownerId, ownerId);
}

export async function createConversation(
  db: PgDb,
  args: { id: string; title: string; params: GenerationParams; createdAt: Date; updatedAt?: Date; ownerId?: string },
): Promise<ConversationRow> {
  const [row] = await db
    .insert(conversations)
    .values({ id: args.id, title: args.title, params: args.params, createdAt: args.createdAt, updatedAt: args.updatedAt ?? args.createdAt, ownerId: args.ownerId ?? NO_OWNER })
    .returning();
  return row!;
}

export async function getConversation(db: PgDb, args: { id: string }): Promise<ConversationRow | undefined> {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, args.id));
  return row;
}

export async function findConversationByTitleAndCreation(db: PgDb, args: { title: string; createdAt: Date; ownerId?: string }): Promise<{ id: string } | undefined> {
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.title, args.title), eq(conversations.createdAt, args.createdAt), ownedBy(args.ownerId)))
    .limit(1);
  return row;
}

export async function getConversationSummary(db: PgDb, args: { id: string }): Promise<ConversationSummaryRow | undefined> {
  const [row] = await db.select(summaryColumns).from(conversations).where(eq(conversations.id, args.id));
  return row;
}

export function listConversations(db: PgDb, args: { limit: number; ownerId?: string }): Promise<ConversationSummaryRow[]> {
  return db
    .select(summaryColumns)
    .from(conversations)
    .where(ownedBy(args.ownerId))
    .orderBy(desc(conversations.pinned), desc(conversations.updatedAt), desc(conversations.seq))
    .limit(args.limit);
}

export async function listConversationsByIds(db: PgDb, args: { ids: string[]; ownerId?: string }): Promise<ConversationSummaryRow[]> {
  if (args.ids.length === 0) return [];
  return db
    .select(summaryColumns)
    .from(conversations)
    .where(and(inArray(conversations.id, args.ids), ownedBy(args.ownerId)))
    .orderBy(desc(conversations.updatedAt), desc(conversations.seq));
}

async function updated(query: Promise<{ rowCount: number | null }>): Promise<boolean> {
  return ((await query).rowCount ?? 0) > 0;
}

export function renameConversation(db: PgDb, args: { id: string; title: string; updatedAt: Date }): Promise<boolean> {
  return updated(db.update(conversations).set({ title: args.title, updatedAt: args.updatedAt }).where(eq(conversations.id, args.id)));
}

export function updateConversationParams(db: PgDb, args: { id: string; params: GenerationParams; updatedAt: Date }): Promise<boolean> {
  return updated(db.update(conversations).set({ params: args.params, updatedAt: args.updatedAt }).where(eq(conversations.id, args.id)));
}

export function setConversationPinned(db: PgDb, args: { id: string; pinned: boolean }): Promise<boolean> {
  return updated(db.update(conversations).set({ pinned: args.pinned }).where(eq(conversations.id, args.id)));
}

export function touchConversation(db: PgDb, args: { id: string; updatedAt: Date }): Promise<boolean> {
  return updated(db.update(conversations).set({ updatedAt: args.updatedAt }).where(eq(conversations.id, args.id)));
}

export function setActiveLeaf(db: PgDb, args: { id: string; leafId: string | null }): Promise<boolean> {
  return updated(db.update(conversations).set({ activeLeafId: args.leafId }).where(eq(conversations.id, args.id)));
}

/** By conversation, not along the `parent_id` cascade (one nested trigger per message): see ../conversations-repo.ts. */
export function deleteConversation(db: PgDb, args: { id: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.update(messages).set({ parentId: null }).where(eq(messages.conversationId, args.id));
    await tx.delete(messages).where(eq(messages.conversationId, args.id));
    return updated(tx.delete(conversations).where(eq(conversations.id, args.id)));
  });
}
