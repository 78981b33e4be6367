/**
 * Opens (creating if needed) a SQLite database file with the settings the app relies on, and
 * applies the drizzle-kit migrations. Used by the cached app client, the migrate CLI and tests.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";

export const DEFAULT_DATABASE_PATH = "./data/bitnet-chat.db";

export interface OpenDatabase {
  db: BetterSQLite3Database<typeof schema>;
  sqlite: Database.Database;
  /** Checkpoints the WAL into the database file (no -wal file is left behind), then closes. */
  close(): void;
}

/** drizzle/sqlite is resolved from the working directory: `next start`, the CLI and vitest all run from the repo root. */
export function migrationsFolder(): string {
  return process.env.DRIZZLE_MIGRATIONS_DIR ?? path.resolve(/*turbopackIgnore: true*/ process.cwd(), "drizzle", "sqlite");
}

export function resolveDatabasePath(): string {
  // turbopackIgnore: a run-time path; without it Next traces the whole project into the server build.
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
}

export function openDatabase(file: string = resolveDatabasePath()): OpenDatabase {
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  // WAL lets readers (list, search) run while an answer is being saved; busy_timeout covers the
  // short write lock when a second process (the migrate CLI) touches the same file.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: migrationsFolder() });
  const close = () => {
    if (!sqlite.open) return;
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    sqlite.close();
  };
  return { db, sqlite, close };
}
