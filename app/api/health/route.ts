import { getDb } from "@/server/db/client";
import { DatabaseUnreachableError } from "@/server/db/database-unreachable";
import { getModelHost } from "@/server/host/model-host";
import { jsonResponse, withErrors } from "@/server/http/json-response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Liveness for scripts and tests: 200 when the database answers, whatever the model is doing; 503
 * with `database: "unreachable"` (and why) while PostgreSQL cannot be reached.
 */
export const GET = withErrors(async () => {
  const db = getDb();
  let database: "ok" | "unreachable" | "error" = "ok";
  let databaseError: string | undefined;
  try {
    await db.ping();
  } catch (error) {
    console.error("[health] database check failed:", error instanceof Error ? error.message : error);
    database = error instanceof DatabaseUnreachableError ? "unreachable" : "error";
    databaseError = error instanceof Error ? error.message : String(error);
  }
  const model = getModelHost().status().state;
  const body = { status: database === "ok" ? "ok" : "error", database, dialect: db.dialect, model, ...(databaseError ? { databaseError } : {}) };
  return jsonResponse(body, { status: database === "ok" ? 200 : 503 });
});
