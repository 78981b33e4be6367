import { openDatabase, type OpenDatabase } from "./open-database";
import { sqliteStore } from "./sqlite-store";
import type { Store } from "./store";

/**
 * The app's one store, opened (and migrated) on first use — or at server start if instrumentation.ts
 * calls `getDb()`. Kept on globalThis so Next.js dev reloads (and the separately bundled
 * instrumentation) reuse it instead of opening another handle.
 * No `server-only` here: instrumentation is compiled outside the React server layer, where that
 * package throws. Route code imports ./client, which adds the guard.
 */
interface Opened {
  store: Store;
  /** The SQLite connection (tests and tools that read the file directly); absent on PostgreSQL. */
  sqlite?: OpenDatabase;
  close(): void | Promise<void>;
}

/** What shutdown needs of the database: close it cleanly (SQLite: checkpoint the WAL first). */
export interface ClosableDatabase {
  close(): void | Promise<void>;
}

const holder = globalThis as typeof globalThis & { __bitnetChatDb?: Opened };

function open(): Opened {
  const sqlite = openDatabase();
  return { store: sqliteStore(sqlite), sqlite, close: () => sqlite.close() };
}

function opened(): Opened {
  holder.__bitnetChatDb ??= open();
  return holder.__bitnetChatDb;
}

export function getDb(): Store {
  return opened().store;
}

/** The SQLite connection itself, for tests that read the file directly; throws on PostgreSQL. */
export function getDatabase(): OpenDatabase {
  const { sqlite } = opened();
  if (!sqlite) throw new Error("The store is PostgreSQL (DATABASE_URL): there is no SQLite connection.");
  return sqlite;
}

/** The database if it was opened, without opening one (shutdown). */
export function openedDatabase(): ClosableDatabase | undefined {
  return holder.__bitnetChatDb;
}

/** Tests switch DATABASE_PATH between files; this drops the cached connection. */
export async function closeDatabase(): Promise<void> {
  const current = holder.__bitnetChatDb;
  delete holder.__bitnetChatDb;
  await current?.close();
}
