import type { RunResult } from "better-sqlite3";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type * as schema from "./schema";

/**
 * The SQLite repositories' handle (the chat layer uses the async Store of ./store.ts, which wraps them).
 * A database handle or a transaction: repositories accept either, so a use case can compose
 * several of them inside one transaction. better-sqlite3 is synchronous, and its transactions must
 * be too (an async callback would commit before the awaited work), so repositories are synchronous.
 */
export type Db = BaseSQLiteDatabase<"sync", RunResult, typeof schema>;
