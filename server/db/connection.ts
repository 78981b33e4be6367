import type { AnswerClaims } from "./answer-claims";
import { openDatabase, resolveDatabasePath, type OpenDatabase } from "./open-database";
import { DEFAULT_CLAIM_TTL_MS, PgAnswerClaims } from "./pg/answer-claims";
import { DEFAULT_POOL_SIZE, openPgStore } from "./pg/pg-store";
import { claimSqliteFile } from "./sqlite-instance";
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
  /** PostgreSQL: the claims and bus that let several instances share running answers (made on first use). */
  claims?: () => AnswerClaims;
  close(): void | Promise<void>;
}

/** What shutdown needs of the database: close it cleanly (SQLite: checkpoint the WAL first). */
export interface ClosableDatabase {
  close(): void | Promise<void>;
}

const holder = globalThis as typeof globalThis & { __bitnetChatDb?: Opened };

/** BITNET_DB_POOL_SIZE: PostgreSQL connections per app instance (default 10). */
export function poolSizeFromEnv(value = process.env.BITNET_DB_POOL_SIZE): number {
  if (value === undefined || value.trim() === "") return DEFAULT_POOL_SIZE;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 1000) {
    throw new Error(`BITNET_DB_POOL_SIZE must be a whole number from 1 to 1000 (got "${value}")`);
  }
  return size;
}

/** DATABASE_URL=postgres://… selects PostgreSQL; without it, the SQLite file at DATABASE_PATH. */
export function postgresUrlFromEnv(value = process.env.DATABASE_URL): string | null {
  if (value === undefined || value.trim() === "") return null;
  if (!/^postgres(ql)?:\/\//.test(value)) {
    throw new Error("DATABASE_URL must be a postgres:// (or postgresql://) URL; for SQLite leave it unset and use DATABASE_PATH");
  }
  return value;
}

/** BITNET_CLAIM_TTL_MS: how long a running answer's claim outlives its instance (PostgreSQL; default 15 s). */
export function claimTtlFromEnv(value = process.env.BITNET_CLAIM_TTL_MS): number {
  if (value === undefined || value.trim() === "") return DEFAULT_CLAIM_TTL_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 200 || ms > 600_000) {
    throw new Error(`BITNET_CLAIM_TTL_MS must be a whole number of milliseconds from 200 to 600000 (got "${value}")`);
  }
  return ms;
}

function open(): Opened {
  const url = postgresUrlFromEnv();
  if (url) {
    const pg = openPgStore(url, { poolSize: poolSizeFromEnv() });
    let claims: PgAnswerClaims | undefined;
    return {
      store: pg.store,
      claims: () => (claims ??= new PgAnswerClaims({ pool: pg.pool, url, ready: pg.ready, ttlMs: claimTtlFromEnv() })),
      async close() {
        await claims?.close();
        await pg.close();
      },
    };
  }
  const sqlite = openDatabase();
  const unclaim = claimSqliteFile(resolveDatabasePath());
  return {
    store: sqliteStore(sqlite),
    sqlite,
    close: () => {
      sqlite.close();
      unclaim();
    },
  };
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

/** PostgreSQL's shared claims on running answers; null on SQLite (one instance). */
export function getAnswerClaims(): AnswerClaims | null {
  // Decided by the configuration, so that asking on SQLite does not open the file.
  if (!postgresUrlFromEnv()) return null;
  return opened().claims?.() ?? null;
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
