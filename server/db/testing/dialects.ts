/**
 * The same store test suite on both dialects: `describe.each(DIALECTS)` with a harness that opens a
 * fresh, migrated store per test — a temp SQLite file, or an emptied database on a real PostgreSQL
 * server started for the test file (one database per file; see ./postgres-server.ts).
 */
import pg from "pg";
import { openPgStore, type OpenPgStore } from "../pg/pg-store";
import type { Store } from "../store";
import { postgresAvailable, startPostgres, type PostgresServer } from "./postgres-server";
import { checkFtsIntegrity, openTempDb } from "./temp-db";

export interface OpenedStore {
  store: Store;
  /** Checks the full-text index against the tables where it can drift (SQLite's external-content FTS5). */
  checkSearchIndex(): void;
  dispose(): Promise<void>;
}

export interface DialectHarness {
  name: "sqlite" | "postgres";
  /** Once per file (before all). */
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  open(options?: { poolSize?: number }): Promise<OpenedStore>;
}

const sqlite: DialectHarness = {
  name: "sqlite",
  setUp: async () => undefined,
  tearDown: async () => undefined,
  async open() {
    const t = openTempDb();
    return { store: t.store, checkSearchIndex: () => checkFtsIntegrity(t), dispose: async () => t.dispose() };
  },
};

function postgres(fileTag: string): DialectHarness {
  let server: PostgresServer | null = null;
  let url = "";
  let current: OpenPgStore | null = null;
  return {
    name: "postgres",
    async setUp() {
      server = await startPostgres();
      url = await server.createDatabase(`bitnet_${fileTag}`);
    },
    async tearDown() {
      await server?.dispose();
    },
    async open(options = {}) {
      current = openPgStore(url, options);
      await current.store.ping(); // migrates
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query("TRUNCATE conversations, messages, message_tokens, presets, sessions, users, api_keys RESTART IDENTITY CASCADE");
      await client.end();
      const opened = current;
      return { store: opened.store, checkSearchIndex: () => undefined, dispose: () => opened.close() };
    },
  };
}

/** Both dialects; PostgreSQL is left out only when BITNET_TEST_SKIP_PG=1 says so. */
export function dialects(fileTag: string): DialectHarness[] {
  return postgresAvailable() ? [sqlite, postgres(fileTag)] : [sqlite];
}
