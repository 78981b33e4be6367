/**
 * Several answers at once on the real ONNX runner (tiny model): answers share forward passes, yet each
 * answer's tokens for a given seed are the ones it gets alone, in any mix (greedy, seeded sampling,
 * speculative on/off, joining while others decode); aborting one leaves the others untouched; beyond
 * BITNET_PARALLEL the FIFO line works as in single-answer mode.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadOnnxRunner, type OnnxRunner } from "@/server/runtime/onnx-runner";
import type { BatchRow, BatchedModelRunner } from "@/server/runtime/runner-types";
import { createEngine } from "./create-engine";
import { parallelFromEnv } from "./scheduler";
import { fakeTokenizer, manualGate } from "./testing/fake-model";
import type { EngineEvent, GenerateRequest, SamplingParams } from "./types";

let inner: OnnxRunner;
beforeAll(async () => {
  inner = await loadOnnxRunner(inject("tinyOnnx"), { threads: 1 });
});
afterAll(() => inner?.dispose());

/** The ONNX runner, with every pass's rows recorded and, optionally, each pass held until a gate opens. */
function recording(gate?: () => Promise<void>): BatchedModelRunner & { passes: number[][] } {
  const passes: number[][] = [];
  return {
    passes,
    info: inner.info,
    maxSlots: inner.maxSlots,
    get length() {
      return inner.length;
    },
    forward: (ids, options) => inner.forward(ids, options),
    truncate: (n) => inner.truncate(n),
    slotLength: (slot) => inner.slotLength(slot),
    truncateSlot: (slot, n) => inner.truncateSlot(slot, n),
    async forwardBatch(rows: readonly BatchRow[]) {
      await gate?.();
      passes.push(rows.map((r) => r.slot));
      return inner.forwardBatch(rows);
    },
    dispose: async () => {},
  };
}

function reset(): void {
  for (let slot = 0; slot < 8; slot++) if (inner.slotLength(slot) > 0) inner.truncateSlot(slot, 0);
}

interface Outcome {
  tokens: number[];
  text: string;
  events: EngineEvent[];
  done: Extract<EngineEvent, { type: "done" }>;
}

async function run(events: AsyncIterable<EngineEvent>, onToken?: (n: number) => void): Promise<Outcome> {
  const seen: EngineEvent[] = [];
  const tokens: number[] = [];
  for await (const e of events) {
    seen.push(e);
    if (e.type === "token") {
      tokens.push(e.id);
      onToken?.(tokens.length);
    }
  }
  const done = seen[seen.length - 1] as Outcome["done"];
  expect(done.type).toBe("done");
  return { tokens, text: seen.map((e) => (e.type === "token" ? e.text : "")).join(""), events: seen, done };
}

const base: SamplingParams = { temperature: 0, topP: 1, topK: 0, maxNewTokens: 20, repetitionPenalty: 1 };
/** Four different answers: greedy, seeded at T=1 with top-k/top-p/penalty and speculation, seeded without, a long prompt. */
const requests: GenerateRequest[] = [
  { messages: [{ role: "user", content: "Tell me about the weather" }], params: base },
  { messages: [{ role: "user", content: "Write a poem about rivers" }], params: { ...base, temperature: 1, topK: 40, topP: 0.9, repetitionPenalty: 1.3, seed: 7, speculative: true } },
  { messages: [{ role: "user", content: "Count to ten" }], params: { ...base, temperature: 0.8, seed: 123, speculative: false, maxNewTokens: 28 } },
  {
    messages: [{ role: "system", content: "You repeat things. ".repeat(12) }, { role: "user", content: "a b c a b c a b c a b c" }],
    params: { ...base, maxNewTokens: 24 },
  },
];

async function alone(request: GenerateRequest): Promise<Outcome> {
  reset();
  const engine = createEngine({ runner: recording(), tokenizer: fakeTokenizer(), parallel: 1 });
  return run(engine.generate(request));
}

describe("several answers at once (continuous batching)", () => {
  it("same seeds ⇒ same tokens with 1 or 4 answers at once, in any mix, joining while others decode", async () => {
    const solo: Outcome[] = [];
    for (const r of requests) solo.push(await alone(r));
    for (const s of solo) expect(s.tokens.length).toBeGreaterThan(5);

    reset();
    const runner = recording();
    const engine = createEngine({ runner, tokenizer: fakeTokenizer(), parallel: 4, prefillChunk: 8 });
    // Staggered: the 2nd joins after the 1st's 3rd token, the 3rd and 4th after the 2nd's 2nd token.
    let started: Promise<Outcome>[] = [];
    const second = new Promise<void>((resolve) => {
      const first = run(engine.generate(requests[0]!), (n) => {
        if (n === 3) resolve();
      });
      started.push(first);
    });
    await second;
    const joined = new Promise<void>((resolve) => {
      started.push(
        run(engine.generate(requests[1]!), (n) => {
          if (n === 2) resolve();
        }),
      );
    });
    await joined;
    started = [...started, run(engine.generate(requests[2]!)), run(engine.generate(requests[3]!))];
    const together = await Promise.all(started);

    together.forEach((t, i) => {
      expect(t.tokens).toEqual(solo[i]!.tokens);
      expect(t.text).toBe(solo[i]!.text);
      expect(t.done.stats.stopReason).toBe(solo[i]!.done.stats.stopReason);
    });
    // They really shared passes: some pass ran 3 or 4 sequences, and each answer says so.
    expect(Math.max(...runner.passes.map((p) => p.length))).toBeGreaterThanOrEqual(3);
    for (const t of together) expect(t.done.stats.answersSharing).toBeGreaterThanOrEqual(2);
    // Pairs in other mixes: the 4th with the 2nd only, the 3rd with the 1st only.
    for (const [a, b] of [
      [3, 1],
      [2, 0],
    ] as const) {
      reset();
      const pair = createEngine({ runner: recording(), tokenizer: fakeTokenizer(), parallel: 4 });
      const [x, y] = await Promise.all([run(pair.generate(requests[a]!)), run(pair.generate(requests[b]!))]);
      expect(x.tokens).toEqual(solo[a]!.tokens);
      expect(y.tokens).toEqual(solo[b]!.tokens);
    }
  });

  it("speculative verify passes and their KV rollback inside shared passes leave every answer's tokens and cache exact", async () => {
    // The tiny model never repeats itself, so an oracle proposes each answer's own plain tokens with every
    // third one wrong: verify rows (k+1 tokens) and rollbacks of one slot run beside the other answers.
    const tokenizer = fakeTokenizer();
    const picked = [requests[0]!, requests[1]!, requests[3]!];
    const plain: number[][] = [];
    for (const r of picked) plain.push((await alone({ ...r, params: { ...r.params, speculative: false } })).tokens);
    const prompts = picked.map((r) => tokenizer.encodeChat(r.messages));
    const oracle = (history: readonly number[], k: number) => {
      const i = prompts.findIndex((p) => p.length <= history.length && p.every((id, j) => history[j] === id));
      const at = history.length - prompts[i]!.length;
      return plain[i]!.slice(at, at + k).map((id, j) => ((at + j) % 3 === 2 ? (id + 1) % inner.info.vocabSize : id));
    };
    reset();
    const runner = recording();
    const engine = createEngine({ runner, tokenizer, parallel: 4, proposeDraft: oracle });
    const together = await Promise.all(picked.map((r) => run(engine.generate({ ...r, params: { ...r.params, speculative: true } }))));
    together.forEach((t, i) => {
      expect(t.tokens).toEqual(plain[i]);
      expect(t.done.stats.acceptedDraftTokens).toBeGreaterThan(3);
      expect(t.done.stats.draftTokens).toBeGreaterThan(t.done.stats.acceptedDraftTokens!);
    });
    // Each slot holds exactly prompt + answer − 1 positions: rejected drafts were rolled back, nothing else touched.
    const lengths = [0, 1, 2].map((slot) => inner.slotLength(slot)).sort((a, b) => a - b);
    expect(lengths).toEqual(picked.map((_, i) => prompts[i]!.length + plain[i]!.length - 1).sort((a, b) => a - b));
    expect(Math.max(...runner.passes.map((p) => p.length))).toBe(3);
  });

  it("an answer alone reports that it shared the model with no one", async () => {
    reset();
    const engine = createEngine({ runner: recording(), tokenizer: fakeTokenizer(), parallel: 4 });
    const out = await run(engine.generate(requests[0]!));
    expect(out.done.stats.answersSharing).toBe(1);
  });

  it("a slot's cached prompt is reused by the same cacheKey only, even when another key is given that slot", async () => {
    reset();
    const engine = createEngine({ runner: recording(), tokenizer: fakeTokenizer(), parallel: 2 });
    const cached = async (request: GenerateRequest, cacheKey: string) => (await run(engine.generate({ ...request, cacheKey }))).done.stats.cachedPromptTokens;
    await cached(requests[0]!, "conversation:victim");
    await cached(requests[2]!, "conversation:other"); // both slots now hold a prompt: the next key gets one of them
    expect(await cached(requests[0]!, "conversation:attacker")).toBe(0);
    await cached(requests[0]!, "conversation:victim");
    expect(await cached(requests[0]!, "conversation:victim")).toBeGreaterThan(5);
  });

  it("aborting one answer leaves the others' tokens untouched", async () => {
    const solo = [await alone(requests[0]!), await alone(requests[1]!)];
    reset();
    const runner = recording();
    const engine = createEngine({ runner, tokenizer: fakeTokenizer(), parallel: 4 });
    const stop = new AbortController();
    const victim = { ...requests[2]!, params: { ...requests[2]!.params, maxNewTokens: 200 } };
    const results = await Promise.all([
      run(engine.generate(requests[0]!)),
      run(engine.generate(victim, stop.signal), (n) => {
        if (n === 4) stop.abort();
      }),
      run(engine.generate(requests[1]!)),
    ]);
    expect(results[1]!.done.stats.stopReason).toBe("abort");
    expect(results[1]!.tokens.length).toBeLessThan(10);
    expect(results[0]!.tokens).toEqual(solo[0]!.tokens);
    expect(results[2]!.tokens).toEqual(solo[1]!.tokens);
    expect(Math.max(...runner.passes.map((p) => p.length))).toBe(3);
  });

  it("a hostile branch (a forced token outside the vocabulary) beside a running answer fails alone", async () => {
    const solo = await alone(requests[0]!);
    reset();
    const runner = recording();
    const engine = createEngine({ runner, tokenizer: fakeTokenizer(), parallel: 4 });
    let hostile: Promise<{ events: EngineEvent[]; error: unknown }> | null = null;
    const victim = run(engine.generate(requests[0]!), (n) => {
      if (n !== 3) return;
      // Joins while the victim decodes: its prompt row would share the victim's next pass.
      hostile = (async () => {
        const events: EngineEvent[] = [];
        try {
          for await (const e of engine.generate({ ...requests[2]!, answerPrefixIds: [5, inner.info.vocabSize + 5] })) events.push(e);
          return { events, error: null };
        } catch (error) {
          return { events, error };
        }
      })();
    });
    const out = await victim;
    const bad = await hostile!;
    expect(out.tokens).toEqual(solo.tokens);
    expect(out.done.stats.stopReason).toBe(solo.done.stats.stopReason);
    const last = bad.events.at(-1);
    const failed = bad.error !== null || (last?.type === "done" && last.stats.stopReason === "error");
    expect(failed, JSON.stringify(bad.events.at(-1) ?? String(bad.error))).toBe(true);
    expect(bad.events.filter((e) => e.type === "token" && !e.forced)).toEqual([]);
  });

  it("when a shared pass fails anyway, its other rows run again without the failing one", async () => {
    const solo = [await alone(requests[0]!), await alone(requests[2]!)];
    reset();
    // A row the checks cannot foresee making the runtime fail: any pass holding the token `poison`.
    const runner = recording();
    const poison = 4242;
    const forwardBatch = runner.forwardBatch.bind(runner);
    runner.forwardBatch = async (rows) => {
      if (rows.some((r) => Array.from(r.ids).includes(poison))) throw new Error("the runtime failed");
      return forwardBatch(rows);
    };
    const engine = createEngine({ runner, tokenizer: fakeTokenizer(), parallel: 4 });
    let hostile: Promise<Outcome | unknown> | null = null;
    const first = run(engine.generate(requests[0]!), (n) => {
      if (n === 3) hostile = run(engine.generate({ ...requests[1]!, answerPrefixIds: [poison] })).catch((error: unknown) => error);
    });
    const second = run(engine.generate(requests[2]!));
    const [a, b] = await Promise.all([first, second]);
    expect(a.tokens).toEqual(solo[0]!.tokens);
    expect(b.tokens).toEqual(solo[1]!.tokens);
    const bad = await hostile!;
    expect(bad instanceof Error || (bad as Outcome).done.stats.stopReason === "error").toBe(true);
  });

  it("beyond BITNET_PARALLEL the line works as before: positions as they change, then busy", async () => {
    reset();
    const g = manualGate();
    const engine = createEngine({ runner: recording(g.gate), tokenizer: fakeTokenizer(), parallel: 2, maxQueue: 2 });
    const short = { ...requests[0]!, params: { ...base, maxNewTokens: 3 } };
    const seen: EngineEvent[][] = [[], [], [], []];
    const errors: unknown[] = [];
    const pumps = seen.map(async (events, i) => {
      try {
        for await (const e of engine.generate(short)) events.push(e);
      } catch (e) {
        errors[i] = e;
      }
    });
    await new Promise((r) => setTimeout(r, 20));
    const positions = (i: number) => seen[i]!.flatMap((e) => (e.type === "queued" ? [e.position] : []));
    expect(positions(0)).toEqual([]);
    expect(positions(1)).toEqual([]);
    expect(positions(2)).toEqual([1]);
    expect(positions(3)).toEqual([2]);
    expect(engine.queueLength()).toBe(4);
    // The line is full (2 running, 2 waiting): a fifth is refused at once.
    await expect(run(engine.generate(short))).rejects.toMatchObject({ code: "busy" });
    g.open();
    await Promise.all(pumps);
    expect(errors.filter(Boolean)).toEqual([]);
    // It moved up (to 1, unless both running answers ended in the same step and both waiting ones started).
    expect(positions(3)[0]).toBe(2);
    expect(positions(3)).toEqual([...positions(3)].sort((a, b) => b - a));
    for (const events of seen) expect(events[events.length - 1]!.type).toBe("done");
    expect(engine.queueLength()).toBe(0);
  });

  it("reads BITNET_PARALLEL (default 4)", () => {
    expect(parallelFromEnv({ BITNET_PARALLEL: "2" })).toBe(2);
    expect(parallelFromEnv({ BITNET_PARALLEL: "0" })).toBe(4);
    expect(parallelFromEnv({})).toBe(4);
  });
});
