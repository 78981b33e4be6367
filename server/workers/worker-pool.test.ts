import { afterEach, describe, expect, it } from "vitest";
import { startFakeWorker, type FakeWorker } from "@/tests/support/fake-openai-worker";
import { EngineError, type EngineEvent, type GenerateRequest } from "@/server/engine/types";
import { parseWorkers } from "./worker-config";
import { WorkerPool } from "./worker-pool";

const request: GenerateRequest = {
  messages: [{ role: "user", content: "Hi" }],
  params: { temperature: 0.7, topP: 0.9, topK: 40, maxNewTokens: 16, repetitionPenalty: 1.1, seed: 7 },
};

const started: { workers: FakeWorker[]; pools: WorkerPool[] } = { workers: [], pools: [] };
afterEach(async () => {
  for (const pool of started.pools.splice(0)) pool.stop();
  await Promise.all(started.workers.splice(0).map((w) => w.stop().catch(() => {})));
});

async function workers(...scripts: Parameters<typeof startFakeWorker>[0][]): Promise<FakeWorker[]> {
  const list = await Promise.all(scripts.map((s) => startFakeWorker(s)));
  started.workers.push(...list);
  return list;
}

async function poolOf(list: FakeWorker[], keys: (string | undefined)[] = []): Promise<WorkerPool> {
  const pool = new WorkerPool({
    endpoints: list.map((w, i) => ({ baseUrl: w.baseUrl, apiKey: keys[i] })),
    healthIntervalMs: 60_000,
  });
  started.pools.push(pool);
  await pool.checkAll();
  return pool;
}

async function collect(events: AsyncIterable<EngineEvent>): Promise<EngineEvent[]> {
  const out: EngineEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const textOf = (events: EngineEvent[]) => events.map((e) => (e.type === "token" ? e.text : "")).join("");
const doneOf = (events: EngineEvent[]) => events.at(-1) as Extract<EngineEvent, { type: "done" }>;

describe("parseWorkers", () => {
  it("splits the list, takes the key from the user part and strips it from the URL", () => {
    expect(parseWorkers(" http://a:3000/v1 , https://sk-123@b.example/v1/ ")).toEqual([
      { baseUrl: "http://a:3000/v1", apiKey: undefined },
      { baseUrl: "https://b.example/v1", apiKey: "sk-123" },
    ]);
    expect(parseWorkers(undefined)).toEqual([]);
  });

  it("names what is wrong", () => {
    expect(() => parseWorkers("not a url")).toThrow(/"not a url" is not a URL/);
    expect(() => parseWorkers("ftp://a/v1")).toThrow(/"ftp:" is not supported/);
    expect(() => parseWorkers("http://a/v1,http://a/v1")).toThrow(/twice/);
  });
});

describe("WorkerPool", () => {
  it("streams a worker's answer as engine events with its usage and timings, sending the settings and key", async () => {
    const [a] = await workers({ tokens: ["Hel", "lo", "!"] });
    const pool = await poolOf([a], ["secret"]);
    const events = await collect(pool.generate(request));
    expect(events[0]).toEqual({ type: "start", promptTokens: 0, droppedTurns: 0, cachedPromptTokens: 0 });
    expect(textOf(events)).toBe("Hello!");
    const done = doneOf(events);
    expect(done.error).toBeUndefined();
    expect(done.stats).toMatchObject({ promptTokens: 11, completionTokens: 3, cachedPromptTokens: 2, prefillTokPerS: 321, decodeTokPerS: 42, stopReason: "eos" });
    expect(a.requests[0]).toMatchObject({
      model: "fake-model",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
      temperature: 0.7,
      top_p: 0.9,
      top_k: 40,
      max_tokens: 16,
      seed: 7,
      repetition_penalty: 1.1,
    });
    expect(a.authorization.at(-1)).toBe("Bearer secret");
    expect(pool.statuses()[0]).toMatchObject({ state: "up", model: "fake-model", inFlight: 0, served: 1 });
    expect(pool.contextLength).toBe(2048);
  });

  it("sends concurrent answers to the worker with the fewest in flight", async () => {
    const list = await workers({ tokenDelayMs: 30 }, { tokenDelayMs: 30 });
    const pool = await poolOf(list);
    const first = pool.generate(request);
    const firstStart = await first.next(); // holds an answer in flight on one worker
    expect(firstStart.value).toMatchObject({ type: "start" });
    const second = await collect(pool.generate(request));
    await collect({ [Symbol.asyncIterator]: () => first });
    expect(doneOf(second).error).toBeUndefined();
    expect(list.map((w) => w.requests.length)).toEqual([1, 1]);
  });

  it("skips a worker that is down and takes it back once it answers its health check again", async () => {
    const [a, b] = await workers({}, {});
    await a.stop();
    const pool = await poolOf([a, b]);
    expect(pool.statuses().map((s) => s.state)).toEqual(["down", "up"]);
    expect(pool.statuses()[0].error).toBeTruthy();
    for (let i = 0; i < 3; i += 1) await collect(pool.generate(request));
    expect(b.requests.length).toBe(3);
    await a.restart();
    await pool.checkAll();
    expect(pool.statuses()[0]).toMatchObject({ state: "up", error: null });
  });

  it("fails over before the first token: a refused or unreachable worker is skipped for the next", async () => {
    const [busy, fine] = await workers({ refuseWith: 503 }, {});
    const pool = await poolOf([busy, fine]);
    for (let i = 0; i < 2; i += 1) expect(doneOf(await collect(pool.generate(request))).error).toBeUndefined();
    expect(fine.requests.length).toBe(2);
    expect(busy.requests.length).toBeGreaterThanOrEqual(1);
  });

  it("all busy → EngineError busy; none up → not_ready naming the workers", async () => {
    const [busy] = await workers({ refuseWith: 429 });
    const pool = await poolOf([busy]);
    await expect(collect(pool.generate(request))).rejects.toMatchObject({ code: "busy" });
    await busy.stop();
    await pool.checkAll();
    const error = await collect(pool.generate(request)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe("not_ready");
    expect((error as EngineError).message).toContain(busy.baseUrl);
    expect(pool.hasCandidate()).toBe(false);
  });

  it("a worker that dies mid-answer ends that answer as an error with the partial text, and the next answer goes elsewhere", async () => {
    const [dying, healthy] = await workers({ tokens: ["a", "b", "c", "d"], dieAfterTokens: 2, tokenDelayMs: 5 }, { tokens: ["ok"] });
    const pool = await poolOf([dying, healthy]);
    // Make the dying worker the least loaded choice first: rotation starts at the first worker.
    const events = await collect(pool.generate(request));
    expect(textOf(events)).toBe("ab");
    const done = doneOf(events);
    expect(done.stats.stopReason).toBe("error");
    expect(done.error).toContain(dying.baseUrl);
    expect(pool.statuses()[0].state).toBe("down");
    const next = await collect(pool.generate(request));
    expect(textOf(next)).toBe("ok");
    expect(healthy.requests.length).toBe(1);
  });

  it("abort cancels the upstream request and ends the answer as stopped", async () => {
    const [slow] = await workers({ tokens: Array.from({ length: 50 }, () => "x"), tokenDelayMs: 20 });
    const pool = await poolOf([slow]);
    const controller = new AbortController();
    const events: EngineEvent[] = [];
    for await (const event of pool.generate(request, controller.signal)) {
      events.push(event);
      if (event.type === "token" && events.filter((e) => e.type === "token").length === 2) controller.abort();
    }
    expect(doneOf(events).stats.stopReason).toBe("abort");
    await expect.poll(() => slow.cancelled).toBe(1);
    expect(pool.statuses()[0]).toMatchObject({ state: "up", inFlight: 0 });
  });
});

describe("WorkerPool health checks", () => {
  it("a worker that is up survives one failed check and goes down after two in a row", async () => {
    const [a] = await workers({});
    const pool = await poolOf([a]);
    expect(pool.statuses()[0].state).toBe("up");
    await a.stop();
    await pool.checkAll();
    expect(pool.statuses()[0].state).toBe("up");
    await pool.checkAll();
    expect(pool.statuses()[0].state).toBe("down");
  });
});

describe("WorkerPool: conversation affinity and the `user` field", () => {
  const turn = (cacheKey: string | undefined): GenerateRequest => ({ ...request, ...(cacheKey ? { cacheKey } : {}) });
  const servedBy = (list: FakeWorker[]) => list.map((w) => w.requests.length);

  it("a follow-up goes back to the worker that served its conversation (rotation alone would alternate)", async () => {
    const list = await workers({}, {});
    const pool = await poolOf(list);
    for (let i = 0; i < 4; i += 1) await collect(pool.generate(turn("conversation:one")));
    expect(servedBy(list).sort()).toEqual([0, 4]);
    // Without affinity the same four turns alternate between the two.
    const plain = await workers({}, {});
    const rotating = new WorkerPool({ endpoints: plain.map((w) => ({ baseUrl: w.baseUrl, apiKey: undefined })), healthIntervalMs: 60_000, affinity: false });
    started.pools.push(rotating);
    await rotating.checkAll();
    for (let i = 0; i < 4; i += 1) await collect(rotating.generate(turn("conversation:one")));
    expect(servedBy(plain)).toEqual([2, 2]);
  });

  it("…unless that worker is clearly busier: two answers in flight there, none on the other", async () => {
    const list = await workers({ tokens: Array.from({ length: 30 }, () => "x"), tokenDelayMs: 20 }, { tokens: Array.from({ length: 30 }, () => "x"), tokenDelayMs: 20 });
    const pool = await poolOf(list);
    await collect(pool.generate(turn("conversation:busy")));
    const home = list.findIndex((w) => w.requests.length === 1);
    // Two follow-ups at once: the second still goes home (one above the least loaded is not "clearly busier").
    const held = [pool.generate(turn("conversation:busy")), pool.generate(turn("conversation:busy"))];
    await Promise.all(held.map((g) => g.next()));
    expect(servedBy(list)[home]).toBe(3);
    // A third while both run there (two above the idle worker): it goes to the other one.
    const third = await collect(pool.generate(turn("conversation:busy")));
    expect(doneOf(third).error).toBeUndefined();
    expect(servedBy(list)[1 - home]).toBe(1);
    await Promise.all(held.map((g) => collect({ [Symbol.asyncIterator]: () => g })));
  });

  it("sends `user` = a keyed hash of the conversation's cache key: stable per conversation, different across conversations, never the id itself", async () => {
    const [a] = await workers({});
    const pool = await poolOf([a]);
    for (const key of ["conversation:c-1", "conversation:c-1", "conversation:c-2", undefined]) await collect(pool.generate(turn(key)));
    const users = a.requests.map((body) => body.user as string | undefined);
    expect(users[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(users[1]).toBe(users[0]);
    expect(users[2]).not.toBe(users[0]);
    expect(users[3]).toBeUndefined();
    expect(JSON.stringify(a.requests)).not.toContain("c-1");
  });
});

describe("WorkerPool: time limits and failures", () => {
  const limits = { firstTokenMs: 300, idleMs: 300 };

  async function limitedPool(list: FakeWorker[]): Promise<WorkerPool> {
    const pool = new WorkerPool({ endpoints: list.map((w) => ({ baseUrl: w.baseUrl, apiKey: undefined })), healthIntervalMs: 60_000, timeouts: limits });
    started.pools.push(pool);
    await pool.checkAll();
    return pool;
  }

  it("no first token in time: the request is cancelled and the answer goes to the next worker; like a failed check, the worker goes out after two such failures in a row", async () => {
    const [slow, fine] = await workers({ tokenDelayMs: 5_000 }, {});
    const pool = await limitedPool([slow, fine]);
    const first = await collect(pool.generate(request)); // rotation starts with the slow one
    expect(doneOf(first).error).toBeUndefined();
    expect(slow.requests.length).toBe(1);
    await expect.poll(() => slow.cancelled).toBe(1);
    expect(pool.statuses()[0].state).toBe("up"); // one failure
    await collect(pool.generate(request)); // goes to `fine` (rotation), then…
    await collect(pool.generate(request)); // …`slow` again: its second failure in a row
    expect(pool.statuses()[0]).toMatchObject({ state: "down", error: expect.stringContaining("no first token for 300 ms") });
  });

  it("a stream that goes quiet mid-answer ends with an error after the idle limit, keeping the partial text, and the worker is taken out", async () => {
    const [stalling] = await workers({ tokens: ["a", "b", "c"], stallAfterTokens: 2 });
    const pool = await limitedPool([stalling]);
    const events = await collect(pool.generate(request));
    expect(textOf(events)).toBe("ab");
    expect(doneOf(events)).toMatchObject({ stats: { stopReason: "error" }, error: expect.stringContaining("no token for 300 ms") });
    expect(pool.statuses()[0].state).toBe("down");
    await expect.poll(() => stalling.cancelled).toBe(1);
  });

  it("health checks never overlap: a check still running is not started again", async () => {
    const [slow] = await workers({ modelsDelayMs: 300 });
    const pool = new WorkerPool({ endpoints: [{ baseUrl: slow.baseUrl, apiKey: undefined }], healthIntervalMs: 60_000 });
    started.pools.push(pool);
    await Promise.all([pool.checkAll(), pool.checkAll(), pool.checkAll()]);
    expect(slow.modelRequests).toBe(1);
    await pool.checkAll();
    expect(slow.modelRequests).toBe(2);
  });

  it("a request the worker could not take counts like a failed health check: one is forgiven, and a success in between starts the count over", async () => {
    const [a] = await workers({});
    const pool = await poolOf([a]);
    await a.stop();
    await expect(collect(pool.generate(request))).rejects.toBeInstanceOf(EngineError); // request failure: still up
    expect(pool.statuses()[0].state).toBe("up");
    await a.restart();
    await pool.checkAll(); // success: the count starts over
    await a.stop();
    await pool.checkAll(); // one failed check: still up
    expect(pool.statuses()[0].state).toBe("up");
    await expect(collect(pool.generate(request))).rejects.toBeInstanceOf(EngineError); // the second failure in a row
    expect(pool.statuses()[0].state).toBe("down");
  });
});
