import { describe, expect, it } from "vitest";
import { createEngine } from "./create-engine";
import { maxQueueFromEnv } from "./scheduler";
import { FakeRunner, fakeTokenizer, manualGate } from "./testing/fake-model";
import type { EngineEvent, GenerateRequest } from "./types";

const req: GenerateRequest = {
  messages: [{ role: "user", content: "hi" }],
  params: { temperature: 0, topP: 1, topK: 0, maxNewTokens: 3, repetitionPenalty: 1 },
};

/** A consumer we can step by hand, recording everything it sees. */
function consumer(events: AsyncIterable<EngineEvent>) {
  const it = events[Symbol.asyncIterator]();
  const seen: EngineEvent[] = [];
  let error: unknown;
  let finished = false;
  const pump = (async () => {
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        seen.push(r.value);
      }
    } catch (e) {
      error = e;
    } finally {
      finished = true;
    }
  })();
  return { seen, pump, get error() { return error; }, get finished() { return finished; }, it };
}

const tick = () => new Promise((r) => setTimeout(r, 5));
const positions = (events: EngineEvent[]) => events.flatMap((e) => (e.type === "queued" ? [e.position] : []));

function setup(maxQueue = 2) {
  const g = manualGate();
  const runner = new FakeRunner({ gate: g.gate });
  const engine = createEngine({ runner, tokenizer: fakeTokenizer(), maxQueue });
  return { g, runner, engine };
}

describe("scheduler", () => {
  it("runs jobs one at a time in order and tells waiting jobs their position as it changes", async () => {
    const { g, engine } = setup();
    const a = consumer(engine.generate(req));
    await tick();
    const b = consumer(engine.generate(req));
    const c = consumer(engine.generate(req));
    await tick();
    expect(engine.queueLength()).toBe(3);
    expect(positions(a.seen)).toEqual([]);
    expect(positions(b.seen)).toEqual([1]);
    expect(positions(c.seen)).toEqual([2]);
    expect(b.seen.some((e) => e.type === "start")).toBe(false);

    g.open();
    await Promise.all([a.pump, b.pump, c.pump]);
    expect(positions(c.seen)).toEqual([2, 1]);
    for (const x of [a, b, c]) expect(x.seen[x.seen.length - 1]!.type).toBe("done");
    expect(engine.queueLength()).toBe(0);
  });

  it("refuses with busy beyond the bound", async () => {
    const { g, engine } = setup(1);
    const a = consumer(engine.generate(req));
    const b = consumer(engine.generate(req));
    await tick();
    const c = consumer(engine.generate(req));
    await c.pump;
    expect(c.error).toMatchObject({ code: "busy", message: "The model is busy with 2 other requests; retry in a moment." });
    expect(engine.queueLength()).toBe(2);
    g.open();
    await Promise.all([a.pump, b.pump]);
  });

  it("an aborted queued job leaves the line (its iterator throws aborted) and the others move up", async () => {
    const { g, engine } = setup(3);
    const a = consumer(engine.generate(req));
    await tick();
    const controller = new AbortController();
    const b = consumer(engine.generate(req, controller.signal));
    const c = consumer(engine.generate(req));
    await tick();
    expect(positions(c.seen)).toEqual([2]);
    controller.abort();
    await b.pump;
    expect(b.error).toMatchObject({ name: "EngineError", code: "aborted" });
    await tick();
    expect(positions(c.seen)).toEqual([2, 1]);
    expect(engine.queueLength()).toBe(2);
    g.open();
    await Promise.all([a.pump, c.pump]);
    expect(c.seen[c.seen.length - 1]!.type).toBe("done");
  });

  it("a consumer that stops iterating frees the model for the next job", async () => {
    const { g, runner, engine } = setup();
    const first = engine.generate(req)[Symbol.asyncIterator]();
    expect((await first.next()).value).toMatchObject({ type: "start" });
    const b = consumer(engine.generate(req));
    await tick();
    expect(positions(b.seen)).toEqual([1]);
    await first.return!(undefined);
    g.open();
    await b.pump;
    expect(b.seen[b.seen.length - 1]!.type).toBe("done");
    expect(runner.calls.length).toBeGreaterThan(0);
  });

  it("reads the bound from BITNET_MAX_QUEUE", () => {
    expect(maxQueueFromEnv({ BITNET_MAX_QUEUE: "3" })).toBe(3);
    expect(maxQueueFromEnv({ BITNET_MAX_QUEUE: "0" })).toBe(0);
    expect(maxQueueFromEnv({ BITNET_MAX_QUEUE: "x" })).toBe(8);
    expect(maxQueueFromEnv({})).toBe(8);
  });
});
