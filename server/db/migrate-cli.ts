/**
 * `npm run db:migrate`: applies the migrations — drizzle/pg to DATABASE_URL when it is a postgres://
 * URL, else drizzle/sqlite to DATABASE_PATH (default ./data/bitnet-chat.db). The app does the same at
 * startup; this is for deploy scripts that migrate first.
 */
import { postgresUrlFromEnv } from "./connection";
import { openDatabase, resolveDatabasePath } from "./open-database";
import { openPgStore } from "./pg/pg-store";

async function main(): Promise<void> {
  const url = postgresUrlFromEnv();
  if (url) {
    const { store, pool, close } = openPgStore(url, { poolSize: 1 });
    try {
      await store.ping(); // runs the migrations first
      const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations");
      console.log(`Database ready: PostgreSQL ${new URL(url).host}${new URL(url).pathname} (${rows[0]!.n} migrations applied)`);
    } finally {
      await close();
    }
    return;
  }
  const file = resolveDatabasePath();
  const { sqlite, close } = openDatabase(file);
  const applied = sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
  close();
  console.log(`Database ready: ${file} (${applied.n} migrations applied)`);
}

main().catch((error: unknown) => {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
