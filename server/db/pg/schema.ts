/**
 * The chat store's tables on PostgreSQL: the same tables, columns and row shapes as ../schema.ts
 * (SQLite), in PostgreSQL's types — jsonb for JSON, timestamptz (ms precision) for times, bytea for
 * blobs, identity columns for `seq`. The rows read through either schema are the same TypeScript
 * types (checked at the bottom), so everything above the repositories is shared.
 * Full-text search (a generated tsvector column per table, GIN-indexed) lives in a custom SQL
 * migration, drizzle/pg/*_search.sql, like FTS5 on SQLite.
 * No `server-only` import here: drizzle-kit loads this file from plain Node.
 */
import { bigint, boolean, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, type AnyPgColumn } from "drizzle-orm/pg-core";
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
    ownerId: text("owner_id").notNull().default(""),
  },
  (t) => [index("conversations_updated_at_idx").on(t.updatedAt), index("conversations_owner_idx").on(t.ownerId, t.updatedAt)],
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

export const presets = pgTable(
  "presets",
  {
    seq: integer("seq").primaryKey().generatedAlwaysAsIdentity(),
    id: text("id").notNull().unique(),
    name: text("name").notNull(),
    params: jsonb("params").$type<GenerationParams>().notNull(),
    createdAt: time("created_at").notNull(),
    ownerId: text("owner_id").notNull().default(""),
  },
  (t) => [uniqueIndex("presets_owner_name_unique").on(t.ownerId, t.name)],
);

export const users = pgTable("users", {
  seq: integer("seq").primaryKey().generatedAlwaysAsIdentity(),
  id: text("id").notNull().unique(),
  name: text("name").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["admin", "user"] }).notNull(),
  disabled: boolean("disabled").notNull().default(false),
  createdAt: time("created_at").notNull(),
});

/** Signed-in browsers: the same table as ../schema.ts `sessions`. */
export const apiKeys = pgTable(
  "api_keys",
  {
    seq: integer("seq").primaryKey().generatedAlwaysAsIdentity(),
    id: text("id").notNull().unique(),
    userId: text("user_id").notNull(),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    createdAt: time("created_at").notNull(),
  },
  (t) => [index("api_keys_user_idx").on(t.userId)],
);

export const sessions = pgTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    keyFingerprint: text("key_fingerprint").notNull(),
    userId: text("user_id"),
    createdAt: time("created_at").notNull(),
    expiresAt: time("expires_at").notNull(),
  },
  (t) => [index("sessions_expires_at_idx").on(t.expiresAt)],
);

/**
 * PostgreSQL only (SQLite is one instance): which front instance runs each conversation's answer.
 * A row is the 409 guard across instances; `expires_at` is pushed ahead by the owner's heartbeat, and a
 * row past it belongs to an instance that died (taken over by the next claim). `running` is set once
 * the answer runs (false while its turn is being written). See server/db/pg/answer-claims.ts.
 */
export const answerClaims = pgTable("answer_claims", {
  conversationId: text("conversation_id").primaryKey(),
  instanceId: text("instance_id").notNull(),
  running: boolean("running").notNull().default(false),
  claimedAt: time("claimed_at").notNull().defaultNow(),
  expiresAt: time("expires_at").notNull(),
});

/** NOTIFY payloads above PostgreSQL's 8000-byte limit (a re-attach snapshot of a long answer) travel here; the notification names the row. */
export const answerRelay = pgTable("answer_relay", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  payload: text("payload").notNull(),
  createdAt: time("created_at").notNull().defaultNow(),
});

/** Compile-time check that both dialects read the same rows (a column added to one schema only fails here). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameRows: [
  Same<typeof conversations.$inferSelect, sqlite.ConversationRow>,
  Same<typeof messages.$inferSelect, sqlite.MessageRow>,
  Same<typeof messageTokens.$inferSelect, typeof sqlite.messageTokens.$inferSelect>,
  Same<typeof presets.$inferSelect, sqlite.PresetRow>,
  Same<typeof sessions.$inferSelect, sqlite.SessionRow>,
  Same<typeof users.$inferSelect, sqlite.UserRow>,
  Same<typeof apiKeys.$inferSelect, sqlite.ApiKeyRow>,
] = [true, true, true, true, true, true, true];
void sameRows;
