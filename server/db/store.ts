/**
 * server/db/ — the chat store: this interface, and behind it SQLite (schema, migrations, connection,
 * one repository per table, FTS5 search) or PostgreSQL (./pg, the same rows and queries).
 *
 * The chat store as the chat layer sees it: one Promise-returning repository interface, two
 * implementations — SQLite (./sqlite-store.ts, the default) and PostgreSQL (./pg/pg-store.ts, when
 * DATABASE_URL is a postgres:// URL). Method names and arguments are those of the SQLite repositories
 * (./conversations-repo.ts …), so both dialects answer the same queries with the same row shapes.
 *
 * `ownerId` arguments (server/db/owner.ts): given, a query sees or writes only that account's rows; left out,
 * every row (no accounts). The chat layer never passes them: it gets a store wrapped by ./owned-store.ts.
 */
import type { GenerationParams } from "@/lib/schemas/params";
import type { ConversationSummaryRow } from "./conversations-repo";
import type { MessagePatch } from "./messages-repo";
import type { ApiKeyRow, ConversationRow, MessageRow, NewMessageRow, PresetRow, SessionRow, UserRow } from "./schema";
import type { SearchHit } from "./search-repo";
import type { NewUserRow, UserPatch } from "./users-repo";

export type { ConversationSummaryRow, MessagePatch, NewUserRow, SearchHit, UserPatch };

export interface ConversationsStore {
  createConversation(args: { id: string; title: string; params: GenerationParams; createdAt: Date; updatedAt?: Date; ownerId?: string }): Promise<ConversationRow>;
  getConversation(args: { id: string }): Promise<ConversationRow | undefined>;
  /** Used by import to recognise a copy of a conversation that is still here. */
  findConversationByTitleAndCreation(args: { title: string; createdAt: Date; ownerId?: string }): Promise<{ id: string } | undefined>;
  getConversationSummary(args: { id: string }): Promise<ConversationSummaryRow | undefined>;
  /** Pinned first, then newest activity, then newest `seq`. */
  listConversations(args: { limit: number; ownerId?: string }): Promise<ConversationSummaryRow[]>;
  /** Newest activity first. */
  listConversationsByIds(args: { ids: string[]; ownerId?: string }): Promise<ConversationSummaryRow[]>;
  /** Each returns false when no conversation has that id. */
  renameConversation(args: { id: string; title: string; updatedAt: Date }): Promise<boolean>;
  updateConversationParams(args: { id: string; params: GenerationParams; updatedAt: Date }): Promise<boolean>;
  setConversationPinned(args: { id: string; pinned: boolean }): Promise<boolean>;
  touchConversation(args: { id: string; updatedAt: Date }): Promise<boolean>;
  setActiveLeaf(args: { id: string; leafId: string | null }): Promise<boolean>;
  /** Its messages go with it (deleted by conversation, whatever the length of their chain), and so do their token records and search entries. */
  deleteConversation(args: { id: string }): Promise<boolean>;
}

export interface MessagesStore {
  insertMessage(args: { message: Omit<NewMessageRow, "seq"> }): Promise<MessageRow>;
  /** In the given order (`seq` follows it). */
  insertMessages(args: { messages: Omit<NewMessageRow, "seq">[] }): Promise<void>;
  updateMessage(args: { id: string; patch: MessagePatch }): Promise<boolean>;
  /** In conversation order (`seq`). */
  listMessages(args: { conversationId: string }): Promise<MessageRow[]>;
  getMessage(args: { id: string }): Promise<MessageRow | undefined>;
  deleteMessages(args: { ids: string[] }): Promise<number>;
  listRecentAnswers(args: { limit: number; ownerId?: string }): Promise<Pick<MessageRow, "id" | "stats" | "createdAt">[]>;
}

/** An answer's token-record blob (server/chat/token-blob.ts), one row per message. */
export interface MessageTokensStore {
  /** Writes (or replaces) the blob of one message. */
  saveMessageTokens(args: { messageId: string; data: Buffer }): Promise<void>;
  getMessageTokens(args: { messageId: string }): Promise<Buffer | undefined>;
  /** Which of these messages have token records (ids only). */
  listRecordedMessageIds(args: { messageIds: string[] }): Promise<Set<string>>;
  /** The blobs of several messages (an export), by message id. */
  listMessageTokens(args: { messageIds: string[] }): Promise<Map<string, Buffer>>;
}

export interface PresetsStore {
  listPresets(args?: { ownerId?: string }): Promise<PresetRow[]>;
  /** Names are unique per owner. */
  savePreset(args: { id: string; name: string; params: GenerationParams; createdAt: Date; ownerId?: string }): Promise<PresetRow>;
  deletePreset(args: { id: string; ownerId?: string }): Promise<boolean>;
}

/** Sign-in sessions by the sha256 of their token (what makes one valid: server/auth/sessions.ts). */
export interface SessionsStore {
  insertSession(args: { session: SessionRow }): Promise<void>;
  getSession(args: { tokenHash: string }): Promise<SessionRow | undefined>;
  /** False when there was no such session. */
  deleteSession(args: { tokenHash: string }): Promise<boolean>;
  /** Deletes the expired ones and those of another key (every one when `keyFingerprint` is null); how many. */
  deleteStaleSessions(args: { keyFingerprint: string | null; now: Date }): Promise<number>;
}

/** Accounts (BITNET_AUTH=accounts; the rules: server/auth/users.ts). */
export interface UsersStore {
  insertUser(args: { user: NewUserRow }): Promise<UserRow>;
  getUserById(args: { id: string }): Promise<UserRow | undefined>;
  getUserByName(args: { name: string }): Promise<UserRow | undefined>;
  /** In creation order. */
  listUsers(): Promise<UserRow[]>;
  updateUser(args: { id: string; patch: UserPatch }): Promise<boolean>;
  deleteUser(args: { id: string }): Promise<boolean>;
  deleteUserSessions(args: { userId: string }): Promise<number>;
  /** Conversations and presets of `from` (NO_OWNER: written without accounts) become `to`'s; how many rows. */
  moveOwnedRows(args: { from: string; to: string }): Promise<number>;
  deleteOwnedRows(args: { ownerId: string }): Promise<number>;
}

/** Accounts' `/v1` keys, by the sha256 of the key (the rules: server/auth/api-keys.ts). */
export interface ApiKeysStore {
  insertApiKey(args: { key: Omit<ApiKeyRow, "seq"> }): Promise<ApiKeyRow>;
  getApiKeyByHash(args: { keyHash: string }): Promise<ApiKeyRow | undefined>;
  listApiKeys(args: { userId: string }): Promise<ApiKeyRow[]>;
  /** False when the account has no key with that id. */
  deleteApiKey(args: { id: string; userId: string }): Promise<boolean>;
  deleteUserApiKeys(args: { userId: string }): Promise<number>;
}

export interface SearchStore {
  /** Matching conversations, newest activity first, one snippet each (matches wrapped in «…»). */
  searchConversations(args: { query: string; limit: number; ownerId?: string }): Promise<SearchHit[]>;
}

export interface Store {
  readonly dialect: "sqlite" | "postgres";
  readonly conversations: ConversationsStore;
  readonly messages: MessagesStore;
  readonly messageTokens: MessageTokensStore;
  readonly presets: PresetsStore;
  readonly search: SearchStore;
  readonly sessions: SessionsStore;
  readonly users: UsersStore;
  readonly apiKeys: ApiKeysStore;
  /**
   * One unit of work: everything `fn` does through `tx` commits together or not at all. Use only
   * `tx` inside — the outer store is another connection (PostgreSQL) or waits for this transaction
   * to end (SQLite), so touching it from inside would not see the uncommitted writes, or deadlock.
   * Nested calls on `tx` are savepoints.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query (health check); rejects otherwise. */
  ping(): Promise<void>;
}
