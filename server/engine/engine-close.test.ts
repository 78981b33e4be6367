/**
 * close(): what model replacement and process shutdown rely on — running and queued jobs end (with their
 * `done`, text kept), no forward pass runs after it resolves, new jobs are refused. And the queue-full check
 * comes before any tokenizing.
 */
import { describe, expect, it } from "vitest";
import type { ChatTokenizer } from "./chat-prompt";
import { createEngine } from "./create-engine";
import { FakeRunner, fakeTokenizer, manualGate } from "./testing/fake-model";
import type { ChatTurn, EngineEvent, GenerateRequest } from "./types";

const req: GenerateRequest = {
  messages: [{ role: "user", content: "hi" }],
  params: { temperature: 0, topP: 1, topK: 0, maxNewTokens: 50, repetitionPenalty: 1 },
};

async function drain(events: AsyncIterable<EngineEvent>): Promise<{ events: EngineEvent[]; error?: unknown }> {
  const out: EngineEvent[] = [];
  try {
    for await (const e of events) out.push(e);
    return { events: out };
  } catch (error) {
    return { events: out, error };
  }
}

describe("engine.close()", () => {
  it("stops the running job after its current step and the queued one, then refuses new jobs", async () => {
    const g = manualGate();
    const runner = new FakeRunner({ gate: g.gate });
    const engine = createEngine({ runner, tokenizer: fakeTokenizer(), maxQueue: 2 });
    const running = drain(engine.generate(req));
    const queued = drain(engine.generate(req));
    for (let i = 0; i < 4; i++) {
      while (g.waiting() === 0) await new Promise((r) => setTimeout(r, 1));
      g.step();
    }
    while (g.waiting() === 0) await new Promise((r) => setTimeout(r, 1));

    let closed = false;
    const closing = engine.close!("shutting down").then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(false); // a forward pass is still running: close waits for it
    const callsBefore = runner.calls.length;
    g.open();
    await closing;
    expect(runner.calls.length).toBe(callsBefore + 1); // the pass in flight finished; nothing ran after it

    const first = await running;
    const done = first.events.at(-1) as Extract<EngineEvent, { type: "done" }>;
    expect(done.type).toBe("done");
    expect(done.stats.stopReason).toBe("abort");
    expect(first.events.some((e) => e.type === "token")).toBe(true);
    expect((await queued).error).toMatchObject({ code: "aborted" });
    expect(engine.queueLength()).toBe(0);
    expect((await drain(engine.generate(req))).error).toMatchObject({ code: "not_ready", message: "shutting down" });
  });

  it("resolves at once when idle", async () => {
    const engine = createEngine({ runner: new FakeRunner(), tokenizer: fakeTokenizer() });
    await engine.close!();
  });
});

describe("queue-full check", () => {
  it("refuses with busy before tokenizing anything", async () => {
    const g = manualGate();
    const base = fakeTokenizer();
    const encoded: ChatTurn[] = [];
    const tokenizer: ChatTokenizer = {
      ...base,
      turns: { ...base.turns!, encodeTurn: (m) => (encoded.push(m), base.turns!.encodeTurn(m)) },
    };
    const engine = createEngine({ runner: new FakeRunner({ gate: g.gate }), tokenizer, maxQueue: 0 });
    const running = drain(engine.generate(req));
    while (g.waiting() === 0) await new Promise((r) => setTimeout(r, 1));
    encoded.length = 0;
    const huge: GenerateRequest = { ...req, messages: [{ role: "user", content: "x ".repeat(100_000) }] };
    expect((await drain(engine.generate(huge))).error).toMatchObject({ code: "busy" });
    expect(encoded).toEqual([]);
    g.open();
    await running;
  });
});
