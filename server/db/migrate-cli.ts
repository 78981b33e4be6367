/** `npm run db:migrate`: applies the drizzle/sqlite migrations to DATABASE_PATH (default ./data/bitnet-chat.db). */
import { openDatabase, resolveDatabasePath } from "./open-database";

const file = resolveDatabasePath();
try {
  const { sqlite, close } = openDatabase(file);
  const applied = sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
  close();
  console.log(`Database ready: ${file} (${applied.n} migrations applied)`);
} catch (error) {
  console.error(`Migration failed for ${file}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
