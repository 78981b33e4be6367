import { describe, expect, it } from "vitest";
import { createEngine } from "./create-engine";
import { prefillChunkAt } from "./generate";
import { EOT, FakeRunner, fakeTokenizer, type FakeRunnerOptions } from "./testing/fake-model";
import type { EngineEvent, GenerateRequest, SamplingParams } from "./types";

const greedy: SamplingParams = { temperature: 0, topP: 1, topK: 0, maxNewTokens: 20, repetitionPenalty: 1 };

function setup(options: FakeRunnerOptions = {}) {
  const runner = new FakeRunner(options);
  const engine = createEngine({ runner, tokenizer: fakeTokenizer(), maxQueue: 4, prefillChunk: 16 });
  return { runner, engine };
}

function request(content: string, params: Partial<SamplingParams> = {}, stop?: string[]): GenerateRequest {
  return { messages: [{ role: "system", content: "Be brief." }, { role: "user", content }], params: { ...greedy, ...params }, stop };
}

async function collect(events: AsyncIterable<EngineEvent>, onEvent?: (e: EngineEvent) => void): Promise<EngineEvent[]> {
  const out: EngineEvent[] = [];
  for await (const e of events) {
    out.push(e);
    onEvent?.(e);
  }
  return out;
}

const textOf = (events: EngineEvent[]) => events.map((e) => (e.type === "token" ? e.text : "")).join("");
const tokensOf = (events: EngineEvent[]) => events.flatMap((e) => (e.type === "token" ? [e.id] : []));
const doneOf = (events: EngineEvent[]) => {
  const last = events[events.length - 1]!;
  if (last.type !== "done") throw new Error(`last event is ${last.type}`);
  return last;
};

/** Forces `text` (bytes) to be generated after the prompt, then `after` (default EOS). */
function scriptText(text: string, promptLength: () => number, after: number | undefined = EOT) {
  const bytes = Array.from(new TextEncoder().encode(text));
  return (ids: readonly number[]) => {
    const i = ids.length - promptLength();
    return i < 0 ? undefined : i < bytes.length ? bytes[i] : after;
  };
}

describe("generation loop", () => {
  it("emits start, prefill progress, tokens and done with consistent stats", async () => {
    const { engine } = setup();
    const req = request("Hello there, how are you doing today?");
    const promptLength = fakeTokenizer().encodeChat(req.messages).length;
    const events = await collect(engine.generate(req));
    expect(events[0]).toEqual({ type: "start", promptTokens: promptLength, droppedTurns: 0, cachedPromptTokens: 0 });
    const prefill = events.filter((e) => e.type === "prefill");
    expect(prefill.length).toBe(Math.ceil(promptLength / 16));
    expect(prefill[prefill.length - 1]).toEqual({ type: "prefill", done: promptLength, total: promptLength });
    const done = doneOf(events);
    expect(done.stats.stopReason).toBe("length");
    expect(done.stats.completionTokens).toBe(20);
    expect(tokensOf(events).length).toBe(20);
    expect(done.stats.promptTokens).toBe(promptLength);
    expect(done.stats.ttftMs).toBeGreaterThanOrEqual(0);
    expect(done.stats.totalMs).toBeGreaterThanOrEqual(done.stats.ttftMs);
    expect(textOf(events)).toBe(fakeTokenizer().decode(tokensOf(events)));
  });

  it("stops on EOS without emitting it", async () => {
    let promptLength = 0;
    const { engine } = setup({ script: scriptText("Fine.", () => promptLength) });
    const req = request("How are you?");
    promptLength = fakeTokenizer().encodeChat(req.messages).length;
    const events = await collect(engine.generate(req));
    expect(textOf(events)).toBe("Fine.");
    expect(tokensOf(events)).not.toContain(EOT);
    expect(doneOf(events).stats).toMatchObject({ stopReason: "eos", completionTokens: 5 });
  });

  it("stops when the context is full", async () => {
    const { engine, runner } = setup({ maxPositions: 64 });
    const req = request("Fill", { maxNewTokens: 200 });
    const promptLength = fakeTokenizer().encodeChat(req.messages).length; // 41 ≤ 64 - 16 reserved
    const events = await collect(engine.generate(req));
    expect(doneOf(events).stats.stopReason).toBe("context");
    expect(runner.length).toBe(64);
    // every cache position used, plus the last sampled token that had no room to be run
    expect(doneOf(events).stats.completionTokens).toBe(64 - promptLength + 1);
  });

  it("ends before a stop string and never emits any part of it", async () => {
    let promptLength = 0;
    const { engine } = setup({ script: scriptText("One two\nUser: three", () => promptLength, undefined) });
    const req = request("Count", {}, ["\nUser:"]);
    promptLength = fakeTokenizer().encodeChat(req.messages).length;
    const events = await collect(engine.generate(req));
    expect(textOf(events)).toBe("One two");
    expect(doneOf(events).stats.stopReason).toBe("stop");
  });

  it("streams multi-byte characters whole, and the text equals decode(ids)", async () => {
    let promptLength = 0;
    const answer = "Olá 😀 日本語 🎉!";
    const { engine } = setup({ script: scriptText(answer, () => promptLength) });
    const req = request("Say it", { maxNewTokens: 100 });
    promptLength = fakeTokenizer().encodeChat(req.messages).length;
    const events = await collect(engine.generate(req, undefined));
    const tokens = events.filter((e) => e.type === "token");
    for (const t of tokens) expect(t.type === "token" && t.text).not.toContain("\uFFFD");
    expect(textOf(events)).toBe(answer);
    expect(tokens.length).toBe(new TextEncoder().encode(answer).length); // one event per generated token
  });

  it("abort stops before the next decode step", async () => {
    const { engine, runner } = setup();
    const controller = new AbortController();
    let seen = 0;
    let callsAtAbort = 0;
    const events = await collect(engine.generate(request("Go on", { maxNewTokens: 50 }), controller.signal), (e) => {
      if (e.type === "token" && ++seen === 3) {
        controller.abort();
        callsAtAbort = runner.calls.length;
      }
    });
    expect(doneOf(events).stats).toMatchObject({ stopReason: "abort", completionTokens: 3 });
    expect(runner.calls.length).toBe(callsAtAbort);
  });

  it("ending the iteration early aborts the job and frees the model", async () => {
    const { engine, runner } = setup();
    for await (const e of engine.generate(request("Go on", { maxNewTokens: 50 }))) if (e.type === "token") break;
    const calls = runner.calls.length;
    expect(engine.queueLength()).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(runner.calls.length).toBe(calls);
    const next = await collect(engine.generate(request("Again", { maxNewTokens: 3 })));
    expect(doneOf(next).stats.stopReason).toBe("length");
  });

  it("a failing forward pass ends with stopReason error, keeps the text, and the next job recovers", async () => {
    const { engine, runner } = setup({ failOnCall: 6 }); // 4 prefill chunks, then decode steps
    const req = request("Make it fail in the middle of the answer", { maxNewTokens: 10 });
    const events = await collect(engine.generate(req));
    const done = doneOf(events);
    expect(done.stats.stopReason).toBe("error");
    expect(done.error).toBe("fake forward failure");
    expect(done.stats.completionTokens).toBeGreaterThan(0);
    expect(textOf(events).length).toBeGreaterThan(0);
    const again = await collect(engine.generate(req));
    expect(doneOf(again).stats).toMatchObject({ stopReason: "length", cachedPromptTokens: 0 });
    expect(runner.length).toBe(fakeTokenizer().encodeChat(req.messages).length + 9);
  });

  it("throws context_overflow before start when the message alone cannot fit", async () => {
    const { engine } = setup({ maxPositions: 64 });
    await expect(collect(engine.generate(request("x".repeat(100))))).rejects.toMatchObject({ code: "context_overflow" });
    expect(engine.queueLength()).toBe(0);
  });

  it("reports dropped turns when the history does not fit", async () => {
    const { engine } = setup({ maxPositions: 128 });
    const history = [
      { role: "user" as const, content: "first question ".repeat(3) },
      { role: "assistant" as const, content: "first answer ".repeat(3) },
      { role: "user" as const, content: "latest?" },
    ];
    const events = await collect(engine.generate({ messages: history, params: { ...greedy, maxNewTokens: 32 } }));
    expect(events[0]).toMatchObject({ type: "start", droppedTurns: 2 });
  });
});

describe("sampling through the engine", () => {
  it("same seed ⇒ same text; different seeds differ (temperature 1)", async () => {
    const run = async (seed: number) => textOf(await collect(setup().engine.generate(request("Tell me", { temperature: 1, seed, maxNewTokens: 30 }))));
    const a = await run(1);
    expect(await run(1)).toBe(a);
    expect(await run(2)).not.toBe(a);
  });
});

describe("KV-cache prefix reuse", () => {
  it("the second turn only prefills what is new, with the same tokens as a cold run", async () => {
    const params = { temperature: 0.8, seed: 7, maxNewTokens: 12, speculative: false }; // counts the tokens fed: no drafts
    const warm = setup();
    const first = await collect(warm.engine.generate({ ...request("First question", params), cacheKey: "conversation:1" }));
    const answer = textOf(first);
    const second: GenerateRequest = {
      messages: [...request("First question").messages, { role: "assistant", content: answer }, { role: "user", content: "Second" }],
      params: { ...greedy, ...params },
      cacheKey: "conversation:1",
    };
    const promptLength = fakeTokenizer().encodeChat(second.messages).length;
    const callsBefore = warm.runner.calls.length;
    const warmEvents = await collect(warm.engine.generate(second));
    const cached = doneOf(warmEvents).stats.cachedPromptTokens;
    const firstPrompt = fakeTokenizer().encodeChat(request("First question").messages).length;
    expect(cached).toBeGreaterThan(firstPrompt);
    expect(warmEvents[0]).toMatchObject({ type: "start", cachedPromptTokens: cached });
    const prefilled = warm.runner.calls.slice(callsBefore).reduce((n, c) => n + c.length, 0) - (doneOf(warmEvents).stats.completionTokens - 1);
    expect(prefilled).toBe(promptLength - cached);

    const cold = await collect(setup().engine.generate(second));
    expect(doneOf(cold).stats.cachedPromptTokens).toBe(0);
    expect(tokensOf(warmEvents)).toEqual(tokensOf(cold));
  });
});

describe("speculative decoding (prompt lookup)", () => {
  /** Forces the answer to copy `text` from the prompt, the case prompt lookup exists for. */
  function copying(text: string) {
    const req = request(`Please repeat: ${text}`, { maxNewTokens: 100, speculative: true });
    const promptLength = fakeTokenizer().encodeChat(req.messages).length;
    return { req, options: { script: scriptText(text, () => promptLength) } };
  }
  const text = "the quick brown fox jumps over the lazy dog, then the quick brown fox sleeps.";

  it("greedy: the same tokens as plain decoding, in fewer forward passes, with accepted drafts counted", async () => {
    const { req, options } = copying(text);
    const plain = setup(options);
    const spec = setup(options);
    const plainEvents = await collect(plain.engine.generate({ ...req, params: { ...req.params, speculative: false } }));
    const specEvents = await collect(spec.engine.generate(req));
    expect(tokensOf(specEvents)).toEqual(tokensOf(plainEvents));
    expect(textOf(specEvents)).toBe(text);
    const stats = doneOf(specEvents).stats;
    expect(stats.acceptedDraftTokens).toBeGreaterThan(20);
    expect(stats.draftTokens).toBeGreaterThanOrEqual(stats.acceptedDraftTokens!);
    expect(doneOf(plainEvents).stats.draftTokens).toBe(0);
    expect(spec.runner.calls.length).toBeLessThan(plain.runner.calls.length - 10);
    // Rejected drafts were rolled back: the cache holds prompt + answer (minus the last, never fed) exactly.
    expect(spec.runner.ids).toEqual(plain.runner.ids);
  });

  it("sampling with a seed: the same tokens as plain decoding (one PRNG draw per emitted token)", async () => {
    for (const seed of [1, 2, 3]) {
      const params = { temperature: 1, topP: 0.9, topK: 50, repetitionPenalty: 1.2, seed, maxNewTokens: 40, speculative: true };
      const req = request("abc abc abc abc abc abc", params);
      const plain = await collect(setup().engine.generate({ ...req, params: { ...req.params, speculative: false } }));
      const spec = await collect(setup().engine.generate(req));
      expect(tokensOf(spec)).toEqual(tokensOf(plain));
    }
  });

  it("a stop string or the token limit inside an accepted draft ends exactly where plain decoding ends", async () => {
    for (const [stop, maxNewTokens] of [[["lazy"], 100], [undefined, 23]] as const) {
      const { req, options } = copying(text);
      const r = { ...req, params: { ...req.params, maxNewTokens }, stop: stop ? [...stop] : undefined };
      const plain = setup(options);
      const spec = setup(options);
      const a = await collect(plain.engine.generate({ ...r, params: { ...r.params, speculative: false } }));
      const b = await collect(spec.engine.generate(r));
      expect(textOf(b)).toBe(textOf(a));
      expect(doneOf(b).stats.stopReason).toBe(doneOf(a).stats.stopReason);
      expect(doneOf(b).stats.completionTokens).toBe(doneOf(a).stats.completionTokens);
      expect(spec.runner.ids).toEqual(plain.runner.ids);
    }
  });
});

describe("KV-cache isolation", () => {
  it("never reuses another key's prefix (or any prefix without a key): cachedPromptTokens and the prefill say so", async () => {
    const { engine, runner } = setup();
    const secret = request("The password is hunter2", { speculative: false }); // counts the tokens fed: no drafts
    await collect(engine.generate({ ...secret, cacheKey: "conversation:victim" }));
    for (const cacheKey of ["conversation:attacker", undefined]) {
      const before = runner.calls.length;
      const guess = await collect(engine.generate({ ...secret, cacheKey }));
      expect(doneOf(guess).stats.cachedPromptTokens, String(cacheKey)).toBe(0);
      const prefilled = runner.calls.slice(before).reduce((n, c) => n + c.length, 0) - (doneOf(guess).stats.completionTokens - 1);
      expect(prefilled).toBe(fakeTokenizer().encodeChat(secret.messages).length);
    }
    // The owner itself still gets the reuse.
    await collect(engine.generate({ ...secret, cacheKey: "conversation:victim" }));
    const again = await collect(engine.generate({ ...secret, cacheKey: "conversation:victim" }));
    expect(doneOf(again).stats.cachedPromptTokens).toBeGreaterThan(10);
  });
});

describe("prefillChunkAt", () => {
  it("keeps whole chunks while the cache is short, then shrinks them so chunk × context stays bounded (never below 16)", () => {
    expect(prefillChunkAt(0, 128)).toBe(128);
    expect(prefillChunkAt(384, 128)).toBe(128);
    expect(prefillChunkAt(896, 128)).toBe(64);
    expect(prefillChunkAt(2000, 128)).toBe(30);
    expect(prefillChunkAt(8000, 128)).toBe(16);
    // a smaller maximum (tests, callers) is kept as it is
    expect(prefillChunkAt(5000, 7)).toBe(7);
  });
});
