/**
 * Token records on the tiny checkpoint (real Llama 3 tokenizer, float64 reference runner): the recorded
 * log-probabilities are those of the distribution each token was drawn from, speculative decoding records
 * the same, and a forced answer prefix is used as given.
 */
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { loadTokenizer } from "@/server/runtime/load-tokenizer";
import { createReferenceRunner } from "@/server/reference/reference-runner";
import type { ModelRunner } from "@/server/runtime/runner-types";
import { createChatTokenizer, type ChatTokenizer } from "./chat-prompt";
import { createEngine } from "./create-engine";
import { referenceDistribution } from "./testing/reference-distribution";
import { cachedTokenInfo, type TokenRecord } from "./token-logprobs";
import type { EngineEvent, GenerateRequest, SamplingParams } from "./types";

let chat: ChatTokenizer;
let tokenizer: PreTrainedTokenizer;
beforeAll(async () => {
  tokenizer = await loadTokenizer(inject("tinySource"));
  chat = createChatTokenizer(tokenizer, { bosTokenId: 128000 });
});

type TokenEvent = Extract<EngineEvent, { type: "token" }>;

async function collect(events: AsyncIterable<EngineEvent>): Promise<EngineEvent[]> {
  const out: EngineEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}
const tokenEvents = (events: EngineEvent[]) => events.filter((e): e is TokenEvent => e.type === "token");
const records = (events: EngineEvent[]) => tokenEvents(events).flatMap((e) => (e.record ? [e.record] : []));
const doneOf = (events: EngineEvent[]) => events.at(-1) as Extract<EngineEvent, { type: "done" }>;

const ask = (params: Partial<SamplingParams>, extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
  messages: [{ role: "user", content: "Tell me a story about a cat." }],
  params: { temperature: 0, topP: 1, topK: 0, maxNewTokens: 10, repetitionPenalty: 1, ...params },
  logprobs: 5,
  ...extra,
});

/** Keeps a copy of every logits row the runner returns (one row per call without drafts). */
function recordingRows(base: ModelRunner): { runner: ModelRunner; rows: Float32Array[] } {
  const rows: Float32Array[] = [];
  const runner: ModelRunner = {
    info: base.info,
    get length() {
      return base.length;
    },
    async forward(ids, options) {
      const out = await base.forward(ids, options);
      rows.push(out.slice());
      return out;
    },
    truncate: (n) => base.truncate(n),
    dispose: () => base.dispose(),
  };
  return { runner, rows };
}

describe("token bytes with the real tokenizer", () => {
  it("are exact, also for tokens holding part of a character", () => {
    const info = cachedTokenInfo(chat.decode, chat.tokenBytes);
    for (const text of ["Hello world", "Emoji 😀🎉 and 日本語"]) {
      const ids = Array.from(tokenizer.encode(text, { add_special_tokens: false }), Number);
      const bytes = ids.flatMap((id) => info(id).bytes);
      expect(Buffer.from(bytes).toString("utf8")).toBe(text);
    }
    const partial = Array.from(tokenizer.encode("😀", { add_special_tokens: false }), Number);
    expect(partial.some((id) => info(id).text.includes("\uFFFD"))).toBe(true);
  });
});

describe("token records on the tiny model", () => {
  it("equal the sampler's distribution for a fixed seed (top-k, top-p, temperature, repetition penalty)", async () => {
    const params = { temperature: 0.8, topK: 40, topP: 0.9, repetitionPenalty: 1.2, seed: 7, speculative: false };
    const { runner, rows } = recordingRows(await createReferenceRunner(inject("tinySource")));
    const request = ask(params);
    const events = await collect(createEngine({ runner, tokenizer: chat }).generate(request));
    const recs = records(events);
    expect(recs.length).toBeGreaterThan(3);
    const sampled = recs.length + (doneOf(events).stats.stopReason === "eos" ? 1 : 0);
    const stepRows = rows.slice(rows.length - sampled);
    const seen = new Set(chat.encodeChat(request.messages));
    recs.forEach((rec, step) => {
      const expected = referenceDistribution(stepRows[step]!, seen, params);
      expect(rec.logprob).toBeCloseTo(expected.sampled[rec.id]!, 5);
      expect(rec.rawLogprob).toBeCloseTo(expected.rawLog[rec.id]!, 5);
      expect(rec.top.map((t) => t.id)).toEqual(expected.order.slice(0, 5));
      for (const alt of rec.top) {
        if (expected.sampled[alt.id] === -Infinity) expect(alt.logprob).toBe(-Infinity);
        else expect(alt.logprob).toBeCloseTo(expected.sampled[alt.id]!, 5);
        expect(alt.text).toBe(chat.decode([alt.id]));
      }
      seen.add(rec.id);
    });
    // The chosen texts are the streamed pieces: together, the answer.
    expect(recs.map((r) => r.piece).join("")).toBe(chat.decode(recs.map((r) => r.id)));
  });

  it("greedy: the chosen token is the most probable alternative at every step", async () => {
    const events = await collect(createEngine({ runner: await createReferenceRunner(inject("tinySource")), tokenizer: chat }).generate(ask({ maxNewTokens: 16 })));
    const recs = records(events);
    expect(recs.length).toBe(tokenEvents(events).length);
    for (const rec of recs) {
      expect(rec.top[0]!.id).toBe(rec.id);
      for (const alt of rec.top.slice(1)) expect(alt.logprob).toBeLessThanOrEqual(rec.logprob);
      expect(rec.logprob).toBeCloseTo(rec.rawLogprob, 9); // no penalty: greedy's distribution is the model's
    }
  });

  it("speculative decoding records exactly what one-token-at-a-time decoding records", async () => {
    const request = ask({ temperature: 0.7, seed: 3, maxNewTokens: 24 });
    const plain = await collect(createEngine({ runner: await createReferenceRunner(inject("tinySource")), tokenizer: chat }).generate({ ...request, params: { ...request.params, speculative: false } }));
    const answer = records(plain).map((r) => r.id);
    const promptLength = chat.encodeChat(request.messages).length;
    // Drafts that follow the plain answer, with every 5th token wrong: accepted runs and rejections.
    const proposeDraft = (history: readonly number[], k: number) =>
      answer.slice(history.length - promptLength, history.length - promptLength + k).map((id, i) => ((history.length + i) % 5 === 0 ? (id + 1) % 1000 : id));
    const spec = await collect(createEngine({ runner: await createReferenceRunner(inject("tinySource")), tokenizer: chat, proposeDraft }).generate({ ...request, params: { ...request.params, speculative: true } }));
    expect(doneOf(spec).stats.acceptedDraftTokens).toBeGreaterThan(3);
    expect(doneOf(spec).stats.acceptedDraftTokens).toBeLessThan(doneOf(spec).stats.draftTokens!);
    const rounded = (r: TokenRecord[]) => r.map((x) => ({ ...x, logprob: round(x.logprob), rawLogprob: round(x.rawLogprob), top: x.top.map((t) => ({ ...t, logprob: round(t.logprob), rawLogprob: round(t.rawLogprob) })) }));
    expect(rounded(records(spec))).toEqual(rounded(records(plain)));
  });

  it("a forced answer prefix is emitted as given, then generation continues from it", async () => {
    const engine = createEngine({ runner: await createReferenceRunner(inject("tinySource")), tokenizer: chat });
    const original = records(await collect(engine.generate(ask({ maxNewTokens: 8 }))));
    const k = 3;
    const alternative = original[k]!.top.find((t) => t.id !== original[k]!.id)!;
    const prefix = [...original.slice(0, k).map((r) => r.id), alternative.id];
    const events = await collect(engine.generate(ask({ maxNewTokens: 5 }, { answerPrefixIds: prefix })));
    const tokens = tokenEvents(events);
    expect(tokens.slice(0, k + 1).map((e) => [e.id, e.forced])).toEqual(prefix.map((id) => [id, true]));
    expect(tokens.slice(0, k + 1).every((e) => e.record === undefined)).toBe(true);
    const generated = tokens.slice(k + 1);
    expect(generated.length).toBeGreaterThan(0);
    expect(generated.every((e) => e.record !== undefined && !e.forced)).toBe(true);
    expect(doneOf(events).stats.completionTokens).toBe(generated.length);
    // Greedy after the prefix: what the model picks after those exact ids.
    const check = await createReferenceRunner(inject("tinySource"));
    const logits = await check.forward([...chat.encodeChat(ask({}).messages), ...prefix]);
    expect(generated[0]!.record!.top[0]!.id).toBe(generated[0]!.id);
    expect(generated[0]!.record!.rawLogprob).toBeCloseTo(logits[generated[0]!.id]! - logSumExp(logits), 5);
  });
});

function round(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : x;
}

function logSumExp(values: Float32Array): number {
  let m = -Infinity;
  for (const v of values) m = Math.max(m, v);
  let s = 0;
  for (const v of values) s += Math.exp(v - m);
  return m + Math.log(s);
}
