/**
 * The Store on PostgreSQL (DATABASE_URL=postgres://…): drizzle-orm/node-postgres over a `pg` Pool.
 *
 * Nothing connects at construction: the first query runs the migrations (drizzle/pg, under an advisory
 * lock so several app instances starting together apply them once), then every call borrows a pooled
 * connection. A connection failure becomes DatabaseUnreachableError (503) and leaves the pool to open
 * fresh connections on the next call, so the server stays up while PostgreSQL is down and recovers by
 * itself when it is back. Transactions are PostgreSQL transactions on one pooled connection.
 */
import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { sql } from "drizzle-orm";
import { Pool } from "pg";
import { bindRepo } from "../bind-repo";
import { DatabaseUnreachableError, isConnectionFailure } from "../database-unreachable";
import type { ConversationsStore, MessagesStore, MessageTokensStore, PresetsStore, SearchStore, SessionsStore, Store, UsersStore, ApiKeysStore } from "../store";
import * as conversationsRepo from "./conversations-repo";
import * as messageTokensRepo from "./message-tokens-repo";
import * as messagesRepo from "./messages-repo";
import * as presetsRepo from "./presets-repo";
import * as sessionsRepo from "./sessions-repo";
import * as usersRepo from "./users-repo";
import * as apiKeysRepo from "./api-keys-repo";
import * as schema from "./schema";
import { searchConversations } from "./search-repo";
import type { PgDb } from "./types";

export const DEFAULT_POOL_SIZE = 10;
/** Any value; the same in every instance of the app, so concurrent starts migrate one after the other. */
const MIGRATION_LOCK = 4_620_137_114;

export function pgMigrationsFolder(): string {
  return process.env.DRIZZLE_PG_MIGRATIONS_DIR ?? path.resolve(/*turbopackIgnore: true*/ process.cwd(), "drizzle", "pg");
}

export function unreachableOr(error: unknown): unknown {
  return error instanceof DatabaseUnreachableError || !isConnectionFailure(error) ? error : new DatabaseUnreachableError(error);
}

class PgStore implements Store {
  readonly dialect = "postgres" as const;
  readonly conversations: ConversationsStore;
  readonly messages: MessagesStore;
  readonly messageTokens: MessageTokensStore;
  readonly presets: PresetsStore;
  readonly search: SearchStore;
  readonly sessions: SessionsStore;
  readonly users: UsersStore;
  readonly apiKeys: ApiKeysStore;

  constructor(
    private readonly db: PgDb,
    /** Resolves once the schema is migrated (the transaction's `tx` is past that already). */
    private readonly ready: () => Promise<void>,
  ) {
    const run = async <T>(work: () => T | Promise<T>): Promise<T> => {
      try {
        await ready();
        return await work();
      } catch (error) {
        throw unreachableOr(error);
      }
    };
    this.conversations = bindRepo(conversationsRepo, db, run);
    this.messages = bindRepo(messagesRepo, db, run);
    this.messageTokens = bindRepo(messageTokensRepo, db, run);
    this.presets = bindRepo(presetsRepo, db, run);
    this.search = bindRepo({ searchConversations }, db, run);
    this.sessions = bindRepo(sessionsRepo, db, run);
    this.users = bindRepo(usersRepo, db, run);
    this.apiKeys = bindRepo(apiKeysRepo, db, run);
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    try {
      await this.ready();
      // Nested calls (on a `tx`) are savepoints: drizzle's transaction() on a transaction.
      return await this.db.transaction((tx) => fn(new PgStore(tx, async () => undefined)));
    } catch (error) {
      throw unreachableOr(error);
    }
  }

  async ping(): Promise<void> {
    try {
      await this.ready();
      await this.db.execute(sql`SELECT 1`);
    } catch (error) {
      throw unreachableOr(error);
    }
  }
}

export interface OpenPgStore {
  store: Store;
  pool: Pool;
  /** Resolves once the schema is migrated (runs the migrations on first call). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function openPgStore(url: string, options: { poolSize?: number; migrationsFolder?: string } = {}): OpenPgStore {
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    // A request waits this long for a connection to a server that does not answer, then gets its 503.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server dropped (restart, failover) is reported here; without a listener
  // it would crash the process. The pool discards it and connects anew when next asked.
  pool.on("error", (error) => console.error("[db] a pooled PostgreSQL connection failed:", error.message));
  const db = drizzle(pool, { schema });
  const folder = options.migrationsFolder ?? pgMigrationsFolder();
  let migrated: Promise<void> | null = null;
  const ready = () => {
    migrated ??= migrateLocked(pool, folder).catch((error: unknown) => {
      migrated = null; // try again on the next call (the database may be back by then)
      throw error;
    });
    return migrated;
  };
  return { store: new PgStore(db, ready), pool, ready, close: () => pool.end() };
}

async function migrateLocked(pool: Pool, migrationsFolder: string): Promise<void> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A connection that failed is destroyed, not handed back to the pool (its session lock goes with it).
    client.release(failure);
  }
}
