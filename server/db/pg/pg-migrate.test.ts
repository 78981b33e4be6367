/** Several app instances starting at once on one fresh PostgreSQL database apply the migrations once. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, startPostgres, type PostgresServer } from "../testing/postgres-server";
import { openPgStore } from "./pg-store";
import { readFileSync } from "node:fs";
import path from "node:path";

const MIGRATIONS = (JSON.parse(readFileSync(path.join(process.cwd(), "drizzle/pg/meta/_journal.json"), "utf8")) as { entries: unknown[] }).entries.length;

describe.runIf(postgresAvailable())("PostgreSQL migrations", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.dispose());

  it("three instances migrating the same database at once: one applies them, all work", async () => {
    const url = await server.createDatabase("bitnet_migrate");
    const instances = [0, 1, 2].map(() => openPgStore(url, { poolSize: 2 }));
    try {
      await Promise.all(instances.map((i) => i.store.ping()));
      const { rows } = await instances[0]!.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations");
      // Each migration applied once: as many rows as the journal lists, not one set per instance.
      expect(rows[0]!.n).toBe(MIGRATIONS);
      expect(await instances[2]!.store.conversations.listConversations({ limit: 1 })).toEqual([]);
    } finally {
      await Promise.all(instances.map((i) => i.close()));
    }
  });
});
