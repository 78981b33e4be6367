/**
 * `npm run db:copy-to-postgres`: copies the SQLite store at DATABASE_PATH (default ./data/bitnet-chat.db)
 * into the empty PostgreSQL database at DATABASE_URL (migrated first), for moving a personal install to a
 * shared server (docs/deployment.md). The SQLite file is left as it was, apart from being brought to the
 * current schema, as the app does at startup. Stop the app first, so no answer is written meanwhile.
 */
import { existsSync } from "node:fs";
import { postgresUrlFromEnv } from "./connection";
import { copySqliteToPostgres } from "./copy-to-postgres";
import { openDatabase, resolveDatabasePath } from "./open-database";
import { openPgStore } from "./pg/pg-store";

async function main(): Promise<void> {
  const url = postgresUrlFromEnv();
  if (!url) throw new Error("DATABASE_URL must name the PostgreSQL database to copy into (postgres://user:password@host:5432/db)");
  const file = resolveDatabasePath();
  if (!existsSync(file)) throw new Error(`${file} does not exist: set DATABASE_PATH to the SQLite file to copy`);
  const source = openDatabase(file);
  const target = openPgStore(url, { poolSize: 1 });
  try {
    await target.store.ping(); // applies the PostgreSQL migrations
    const copied = await copySqliteToPostgres(source.db, target.pool, (c) =>
      process.stderr.write(`\rcopying: ${c.conversations} conversations, ${c.presets} presets, ${c.messages} messages, ${c.tokenRecords} token records\x1b[K`),
    );
    process.stderr.write("\n");
    const where = `${new URL(url).host}${new URL(url).pathname}`;
    console.log(`Copied ${file} → PostgreSQL ${where}: ${copied.conversations} conversations, ${copied.messages} messages, ${copied.tokenRecords} token records, ${copied.presets} presets, ${copied.users} users.`);
  } finally {
    source.close();
    await target.close();
  }
}

main().catch((error: unknown) => {
  console.error(`\nCopy failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
