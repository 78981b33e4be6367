/**
 * The chat store's tables on PostgreSQL: the same tables, columns and row shapes as ../schema.ts
 * (SQLite), in PostgreSQL's types — jsonb for JSON, timestamptz (ms precision) for times, bytea for
 * blobs, identity columns for `seq`. The rows read through either schema are the same TypeScript
 * types (checked at the bottom), so everything above the repositories is shared.
 * Full-text search (a generated tsvector column per table, GIN-indexed) lives in a custom SQL
 * migration, drizzle/pg/*_search.sql, like FTS5 on SQLite.
 * No `server-only` import here: drizzle-kit loads this file from plain Node.
 */
import { boolean, customType, index, integer, jsonb, pgTable, text, timestamp, type AnyPgColumn } from "drizzle-orm/pg-core";
import type { GenerationParams } from "@/lib/schemas/params";
import type { GenerationStats } from "@/lib/schemas/stats";
import type { ReplayVerdict } from "@/lib/schemas/events";
import type { StoredAttachment } from "@/lib/schemas/attachments";
import type * as sqlite from "../schema";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
const time = (name: string) => timestamp(name, { mode: "date", precision: 3, withTimezone: true });

export const conversations = pgTable(
  "conversations",
  {
    seq: integer("seq").primaryKey().generatedAlwaysAsIdentity(),
    id: text("id").notNull().unique(),
    title: text("title").notNull(),
    params: jsonb("params").$type<GenerationParams>().notNull(),
    createdAt: time("created_at").notNull(),
    updatedAt: time("updated_at").notNull(),
    pinned: boolean("pinned").notNull().default(false),
    activeLeafId: text("active_leaf_id"),
  },
  (t) => [index("conversations_updated_at_idx").on(t.updatedAt)],
);

export const messages = pgTable(
  "messages",
  {
    seq: integer("seq").primaryKey().generatedAlwaysAsIdentity(),
    id: text("id").notNull().unique(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    parentId: text("parent_id").references((): AnyPgColumn => messages.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["system", "user", "assistant"] }).notNull(),
    content: text("content").notNull(),
    status: text("status", { enum: ["complete", "stopped", "error"] }).notNull().default("complete"),
    stats: jsonb("stats").$type<GenerationStats>(),
    params: jsonb("params").$type<GenerationParams>(),
    error: text("error"),
    replay: jsonb("replay").$type<ReplayVerdict>(),
    attachments: jsonb("attachments").$type<StoredAttachment[]>(),
    createdAt: time("created_at").notNull(),
  },
  (t) => [index("messages_conversation_seq_idx").on(t.conversationId, t.seq), index("messages_parent_idx").on(t.parentId)],
);

export const messageTokens = pgTable("message_tokens", {
  messageId: text("message_id")
    .primaryKey()
    .references(() => messages.id, { onDelete: "cascade" }),
  data: bytea("data").notNull(),
});

export const presets = pgTable("presets", {
  seq: integer("seq").primaryKey().generatedAlwaysAsIdentity(),
  id: text("id").notNull().unique(),
  name: text("name").notNull().unique(),
  params: jsonb("params").$type<GenerationParams>().notNull(),
  createdAt: time("created_at").notNull(),
});

/** Compile-time check that both dialects read the same rows (a column added to one schema only fails here). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameRows: [
  Same<typeof conversations.$inferSelect, sqlite.ConversationRow>,
  Same<typeof messages.$inferSelect, sqlite.MessageRow>,
  Same<typeof messageTokens.$inferSelect, typeof sqlite.messageTokens.$inferSelect>,
  Same<typeof presets.$inferSelect, sqlite.PresetRow>,
] = [true, true, true, true];
void sameRows;
