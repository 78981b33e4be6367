/**
 * Tables of the chat store. Every table has an integer `seq` rowid next to its public text id:
 * it orders messages without relying on clock ties, and it is the stable rowid that the
 * external-content FTS5 indexes point at (an implicit rowid may change on VACUUM).
 * The FTS5 tables and their sync triggers live in a custom SQL migration (drizzle-kit cannot
 * describe virtual tables); see drizzle/sqlite/*_fts.sql.
 * No `server-only` import here: drizzle-kit loads this file from plain Node.
 */
import { blob, index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { GenerationParams } from "@/lib/schemas/params";
import type { GenerationStats } from "@/lib/schemas/stats";
import type { ReplayVerdict } from "@/lib/schemas/events";
import type { StoredAttachment } from "@/lib/schemas/attachments";

export const conversations = sqliteTable(
  "conversations",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    title: text("title").notNull(),
    /** The conversation's current settings (system prompt included), merged from each request. */
    params: text("params", { mode: "json" }).$type<GenerationParams>().notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    pinned: integer("pinned", { mode: "boolean" }).notNull().default(false),
    /**
     * The last message of the branch shown and continued (messages form a tree: versions and
     * branches). Not a foreign key: it would make the two tables reference each other; readers fall
     * back to the newest leaf when it is missing or stale.
     */
    activeLeafId: text("active_leaf_id"),
    /** The account it belongs to (BITNET_AUTH=accounts); NO_OWNER ("") without accounts (server/db/owned-store.ts). */
    ownerId: text("owner_id").notNull().default(""),
  },
  (t) => [index("conversations_updated_at_idx").on(t.updatedAt), index("conversations_owner_idx").on(t.ownerId, t.updatedAt)],
);

export const messages = sqliteTable(
  "messages",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    /**
     * The message this one follows (null for the first message). Siblings — children of the same
     * parent, in `seq` order — are the versions of an answer (regenerate) or of a question (edit).
     * Deleting a message deletes the branch below it.
     */
    parentId: text("parent_id").references((): AnySQLiteColumn => messages.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["system", "user", "assistant"] }).notNull(),
    content: text("content").notNull(),
    status: text("status", { enum: ["complete", "stopped", "error"] }).notNull().default("complete"),
    /** An answer's measurements, stored once, as the JSON the API returns. */
    stats: text("stats", { mode: "json" }).$type<GenerationStats>(),
    params: text("params", { mode: "json" }).$type<GenerationParams>(),
    error: text("error"),
    /** A replay's comparison with the answer it re-ran (lib/replay-verdict.ts), kept so it shows after a reload. */
    replay: text("replay", { mode: "json" }).$type<ReplayVerdict>(),
    /** A question's attached files (name, type, text, token count), bounded by ATTACHMENT_LIMITS (lib/schemas/attachments.ts). */
    attachments: text("attachments", { mode: "json" }).$type<StoredAttachment[]>(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("messages_conversation_seq_idx").on(t.conversationId, t.seq), index("messages_parent_idx").on(t.parentId)],
);

/**
 * An answer's token records for the token view (server/chat/token-blob.ts: ids, texts, log-probabilities
 * and top alternatives), one compact blob per answer. A table of its own so reading a conversation never
 * loads them; the token view fetches them on demand.
 */
export const messageTokens = sqliteTable("message_tokens", {
  messageId: text("message_id")
    .primaryKey()
    .references(() => messages.id, { onDelete: "cascade" }),
  data: blob("data", { mode: "buffer" }).notNull(),
});

/** Settings the user saved under a name (sampling values and a system prompt), offered next to the built-in presets. */
export const presets = sqliteTable(
  "presets",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    name: text("name").notNull(),
    params: text("params", { mode: "json" }).$type<GenerationParams>().notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** As conversations.owner_id: names are unique per account. */
    ownerId: text("owner_id").notNull().default(""),
  },
  (t) => [uniqueIndex("presets_owner_name_unique").on(t.ownerId, t.name)],
);

/**
 * Accounts (BITNET_AUTH=accounts; server/auth/users.ts). `passwordHash` is a self-describing scrypt string
 * (server/auth/password-hash.ts), never the password. A disabled account cannot sign in and its sessions end.
 */
export const users = sqliteTable("users", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  id: text("id").notNull().unique(),
  name: text("name").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["admin", "user"] }).notNull(),
  disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * An account's keys for `/v1` (BITNET_AUTH=accounts; server/auth/api-keys.ts): a random 256-bit key shown once;
 * only its sha256 is stored (unguessable, so no slow hash is needed), and revoking deletes the row.
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    userId: text("user_id").notNull(),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("api_keys_user_idx").on(t.userId)],
);

/**
 * Signed-in browsers (BITNET_API_KEY; server/auth/sessions.ts). The cookie carries a random token; only its
 * sha256 is stored, so a copy of the database signs nobody in. `keyFingerprint` is a one-way fingerprint of
 * the access key the session was opened with: a session made under another key is not valid. `userId` is the
 * account signed in (BITNET_AUTH=accounts): null for access-key sessions.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    keyFingerprint: text("key_fingerprint").notNull(),
    userId: text("user_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("sessions_expires_at_idx").on(t.expiresAt)],
);

export type ConversationRow = typeof conversations.$inferSelect;
export type NewConversationRow = typeof conversations.$inferInsert;
export type MessageRow = typeof messages.$inferSelect;
export type NewMessageRow = typeof messages.$inferInsert;
export type PresetRow = typeof presets.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
