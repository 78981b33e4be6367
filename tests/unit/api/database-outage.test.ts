/**
 * PostgreSQL unreachable, through the routes: the server (these handlers) stays up, the API answers 503
 * "database unreachable …", /api/health says so, and everything works again once PostgreSQL is back —
 * including a server that started while it was down (migrations run on the first call that reaches it).
 * A real PostgreSQL server, stopped and started on the same port.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDatabase } from "@/server/db/client";
import { postgresAvailable, startPostgres, type PostgresServer } from "@/server/db/testing/postgres-server";
import { jsonRequest } from "./route-test-support";

vi.mock("@/server/host/model-host", async () => {
  const { mockHost } = await import("./route-test-support");
  return { getModelHost: () => mockHost };
});
const healthRoute = await import("@/app/api/health/route");
const conversationsRoute = await import("@/app/api/conversations/route");

async function eventually<T>(attempt: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await attempt();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.runIf(postgresAvailable())("PostgreSQL unreachable", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
    process.env.DATABASE_URL = await server.createDatabase("bitnet_outage");
    process.env.BITNET_DB_POOL_SIZE = "3";
    await closeDatabase();
  });
  afterAll(async () => {
    await closeDatabase();
    delete process.env.DATABASE_URL;
    delete process.env.BITNET_DB_POOL_SIZE;
    await server?.dispose();
  });

  it("answers 503 while it is down (from the start), reports it in /api/health, and recovers by itself", async () => {
    await server.stop();
    const down = await conversationsRoute.GET(new Request("http://localhost/api/conversations"));
    expect(down.status).toBe(503);
    const body = (await down.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("database_unreachable");
    expect(body.error.message).toMatch(/^database unreachable: /);
    const health = await healthRoute.GET();
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "error", database: "unreachable", dialect: "postgres", databaseError: expect.stringMatching(/^database unreachable/) });

    await server.start();
    const up = await eventually(() => healthRoute.GET(), (r) => r.status === 200);
    expect(await up.json()).toMatchObject({ status: "ok", database: "ok", dialect: "postgres" });
    const created = await conversationsRoute.POST(jsonRequest("/api/conversations", { title: "Written to PostgreSQL" }));
    expect(created.status).toBe(201);

    // Down again while the pool holds open connections: they fail, the API says so, then it comes back.
    await server.stop();
    expect((await conversationsRoute.GET(new Request("http://localhost/api/conversations"))).status).toBe(503);
    expect((await conversationsRoute.POST(jsonRequest("/api/conversations", { title: "lost" }))).status).toBe(503);
    await server.start();
    const listed = await eventually(
      () => conversationsRoute.GET(new Request("http://localhost/api/conversations")),
      (r) => r.status === 200,
    );
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { conversations: { title: string }[] }).conversations.map((c) => c.title)).toEqual(["Written to PostgreSQL"]);
  });
});
