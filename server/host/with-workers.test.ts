import { afterEach, describe, expect, it } from "vitest";
import { startFakeWorker, type FakeWorker } from "@/tests/support/fake-openai-worker";
import type { EngineEvent } from "@/server/engine/types";
import { createConfiguredHost } from "./model-host";
import type { WorkerPool } from "@/server/workers/worker-pool";

const fakes: FakeWorker[] = [];
const pools: WorkerPool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) pool.stop();
  await Promise.all(fakes.splice(0).map((w) => w.stop().catch(() => {})));
});

function hostFor(env: Record<string, string>) {
  const host = createConfiguredHost({ BITNET_CACHE: "/nonexistent-bitnet-cache", ...env });
  const pool = (host as { pool?: WorkerPool }).pool;
  if (pool) pools.push(pool);
  return { host, pool };
}

describe("BITNET_MODEL=none with BITNET_WORKERS", () => {
  it("is ready once a worker answers, lists the workers, and generates through them", async () => {
    const worker = await startFakeWorker({ model: "remote-bitnet", tokens: ["Hi", "!"] });
    fakes.push(worker);
    const { host, pool } = hostFor({ BITNET_MODEL: "none", BITNET_WORKERS: worker.baseUrl });
    expect(host.status()).toMatchObject({ state: "loading", workers: [{ url: worker.baseUrl, state: "checking" }] });
    await pool!.checkAll();
    expect(host.status()).toMatchObject({ state: "ready", modelId: "remote-bitnet", isDemo: false, contextLength: 2048, error: null });
    const events: EngineEvent[] = [];
    for await (const event of host.engine().generate({ messages: [{ role: "user", content: "x" }], params: { temperature: 0, topP: 1, topK: 0, maxNewTokens: 4, repetitionPenalty: 1 } })) {
      events.push(event);
    }
    expect(events.filter((e) => e.type === "token").map((e) => (e as { text: string }).text).join("")).toBe("Hi!");
    expect(host.status().workers?.[0]).toMatchObject({ state: "up", served: 1, inFlight: 0 });
  });

  it("says what to do when every worker is down, and engine() refuses with not_ready", async () => {
    const worker = await startFakeWorker();
    await worker.stop();
    const { host, pool } = hostFor({ BITNET_MODEL: "none", BITNET_WORKERS: worker.baseUrl });
    await pool!.checkAll();
    expect(host.status()).toMatchObject({ state: "error", error: { code: "workers_unreachable" } });
    expect(() => host.engine()).toThrow(/No inference worker is reachable/);
  });

  it("without workers or with an invalid list, the status explains it", () => {
    expect(hostFor({ BITNET_MODEL: "none" }).host.status()).toMatchObject({ state: "error", error: { code: "no_model" } });
    expect(hostFor({ BITNET_MODEL: "none", BITNET_WORKERS: "nope" }).host.status()).toMatchObject({
      state: "error",
      error: { code: "invalid_workers", message: expect.stringContaining('"nope" is not a URL') },
    });
  });

  it("without BITNET_WORKERS the local host is used as before (no workers field)", () => {
    const { host, pool } = hostFor({ BITNET_MODEL: "demo" });
    expect(pool).toBeUndefined();
    expect(host.status().workers).toBeUndefined();
  });
});
