import { getDb } from "@/server/db/client";
import { getModelHost } from "@/server/host/model-host";
import { jsonResponse, withErrors } from "@/server/http/json-response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Liveness for scripts and tests: 200 when the database answers, whatever the model is doing. */
export const GET = withErrors(async () => {
  let database = "ok";
  try {
    await getDb().ping();
  } catch (error) {
    console.error("[health] database check failed:", error);
    database = "error";
  }
  const model = getModelHost().status().state;
  return jsonResponse({ status: database === "ok" ? "ok" : "error", database, model }, { status: database === "ok" ? 200 : 503 });
});
