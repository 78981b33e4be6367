import type { NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import type { PgDatabase } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

/** A PostgreSQL database handle or a transaction: the PG repositories accept either (async, unlike SQLite's). */
export type PgDb = PgDatabase<NodePgQueryResultHKT, typeof schema>;
