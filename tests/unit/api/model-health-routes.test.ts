import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestEngine } from "@/server/engine/testing/test-engine";
import { disposeTempDatabase, hostState, jsonRequest, useTempDatabase } from "./route-test-support";

vi.mock("@/server/host/model-host", async () => {
  const { mockHost } = await import("./route-test-support");
  return { getModelHost: () => mockHost };
});
const modelRoute = await import("@/app/api/model/route");
const healthRoute = await import("@/app/api/health/route");

beforeEach(useTempDatabase);
afterEach(disposeTempDatabase);

describe("/api/model", () => {
  it("GET answers the host's status", async () => {
    const response = await modelRoute.GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(hostState.status);
  });

  it("POST runs an action and validates it", async () => {
    expect((await modelRoute.POST(jsonRequest("/api/model", { action: "use-demo" }))).status).toBe(202);
    expect((await modelRoute.POST(jsonRequest("/api/model", { action: "use-real" }))).status).toBe(202);
    expect((await modelRoute.POST(jsonRequest("/api/model", { action: "retry" }))).status).toBe(202);
    expect(hostState.actions).toEqual(["use-demo", "use-real", "retry"]);
    const bad = await modelRoute.POST(jsonRequest("/api/model", { action: "explode" }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: "invalid_request", message: 'action must be "use-demo", "use-real" or "retry"', field: "action" } });
  });
});

describe("/api/health", () => {
  it("reports the database and the model state", async () => {
    hostState.engine = createTestEngine().engine;
    const response = await healthRoute.GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok", dialect: "sqlite", model: "loading" });
  });
});
