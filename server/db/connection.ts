import { openDatabase, type OpenDatabase } from "./open-database";

/**
 * The app's one connection, opened (and migrated) on first use — or at server start if
 * instrumentation.ts calls `getDatabase()`. Kept on globalThis so Next.js dev reloads (and the
 * separately bundled instrumentation) reuse it instead of opening another handle.
 * No `server-only` here: instrumentation is compiled outside the React server layer, where that
 * package throws. Route code imports ./client, which adds the guard.
 */
const holder = globalThis as typeof globalThis & { __bitnetChatDb?: { path: string; open: OpenDatabase } };

export function getDatabase(): OpenDatabase {
  if (!holder.__bitnetChatDb) {
    const open = openDatabase();
    holder.__bitnetChatDb = { path: open.sqlite.name, open };
  }
  return holder.__bitnetChatDb.open;
}

/** The connection if it was opened, without opening one (shutdown). */
export function openedDatabase(): OpenDatabase | undefined {
  return holder.__bitnetChatDb?.open;
}

export function getDb(): OpenDatabase["db"] {
  return getDatabase().db;
}

/** Tests switch DATABASE_PATH between files; this drops the cached connection. */
export function closeDatabase(): void {
  holder.__bitnetChatDb?.open.close();
  delete holder.__bitnetChatDb;
}
