/**
 * The engine with the real Llama 3 tokenizer and BitNet chat template on the tiny checkpoint, run by the
 * float64 reference runner (the forward-pass ground truth).
 */
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { loadTokenizer } from "@/server/runtime/load-tokenizer";
import { createReferenceRunner } from "@/server/reference/reference-runner";
import type { ModelRunner } from "@/server/runtime/runner-types";
import { createChatTokenizer, renderChat, type ChatTokenizer } from "./chat-prompt";
import { createEngine } from "./create-engine";
import { Detokenizer } from "./detokenizer";
import { argmax } from "./sampler";
import type { EngineEvent, GenerateRequest, SamplingParams } from "./types";

const EOT = 128009;
let tokenizer: PreTrainedTokenizer;
let chat: ChatTokenizer;

beforeAll(async () => {
  tokenizer = await loadTokenizer(inject("tinySource"));
  chat = createChatTokenizer(tokenizer, { bosTokenId: 128000 });
});

const runner = (options: { maxPositions?: number } = {}) => createReferenceRunner(inject("tinySource"), options);

async function collect(events: AsyncIterable<EngineEvent>): Promise<EngineEvent[]> {
  const out: EngineEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}
const tokensOf = (events: EngineEvent[]) => events.flatMap((e) => (e.type === "token" ? [e.id] : []));
const textOf = (events: EngineEvent[]) => events.map((e) => (e.type === "token" ? e.text : "")).join("");
const doneOf = (events: EngineEvent[]) => events[events.length - 1] as Extract<EngineEvent, { type: "done" }>;

const greedy: SamplingParams = { temperature: 0, topP: 1, topK: 0, maxNewTokens: 8, repetitionPenalty: 1 };
const ask = (content: string, params: Partial<SamplingParams> = {}): GenerateRequest => ({
  messages: [{ role: "system", content: "You are terse." }, { role: "user", content }],
  params: { ...greedy, ...params },
});

describe("chat template", () => {
  it("renders BitNet's Role: content<|eot_id|> format with one bos and the generation prompt", () => {
    const messages = ask(" Hi there ").messages;
    expect(renderChat(tokenizer, messages)).toBe("<|begin_of_text|>System: You are terse.<|eot_id|>User: Hi there<|eot_id|>Assistant: ");
    const ids = chat.encodeChat(messages);
    expect(ids[0]).toBe(128000);
    expect(ids.filter((id) => id === 128000)).toHaveLength(1);
    expect(ids.filter((id) => id === EOT)).toHaveLength(2);
  });
});

describe("continuing an answer (continueFinalMessage)", () => {
  it("ends the prompt inside the partial answer: no end of turn after it, no second generation prompt", () => {
    const messages = [...ask("Count to ten.").messages, { role: "assistant" as const, content: "One, two, three," }];
    const ids = chat.encodeChat(messages, { continueFinalMessage: true });
    const before = chat.encodeChat(messages.slice(0, -1));
    expect(ids.slice(0, before.length)).toEqual(before);
    expect(chat.decode(ids.slice(before.length))).toBe("One, two, three,");
    expect(ids.filter((id) => id === EOT)).toHaveLength(2);
    expect(ids.filter((id) => id === 128000)).toHaveLength(1);
  });
});

describe("UTF-8 streaming with the real tokenizer", () => {
  it("emits whole characters only, and the pieces add up to decode(all)", () => {
    const text = "Emoji 😀🎉👍🏽 and 日本語のテキスト, 中文 and Ünïcödé — done.";
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    expect(ids.some((id) => chat.decode([id]).includes("\uFFFD"))).toBe(true); // really split inside characters
    const d = new Detokenizer(chat.decode);
    const pieces = ids.map((id) => d.push(id));
    const tail = d.flush();
    for (const p of pieces) expect(p).not.toContain("\uFFFD");
    expect(pieces.join("") + tail).toBe(text);
    expect(pieces.join("")).toBe(chat.decode(ids));
  });
});

describe("generation on the reference model", () => {
  it("greedy generation equals the argmax path of the reference forward pass", async () => {
    const engine = createEngine({ runner: await runner(), tokenizer: chat });
    const req = ask("What is 2 + 2?");
    const events = await collect(engine.generate(req));
    const answer = tokensOf(events);
    expect(answer.length).toBeGreaterThan(0);
    const check = await runner();
    const prompt = chat.encodeChat(req.messages);
    // Each answer token — and the EOS that ended the answer, if one did — must be the argmax at its position.
    const endedByEos = doneOf(events).stats.stopReason === "eos";
    const input = endedByEos ? [...prompt, ...answer] : [...prompt, ...answer.slice(0, -1)];
    const rows = endedByEos ? answer.length + 1 : answer.length;
    const logits = await check.forward(input, { keepLogits: rows });
    const V = check.info.vocabSize;
    const path = Array.from({ length: rows }, (_, i) => argmax(logits.subarray(i * V, (i + 1) * V), V));
    if (endedByEos) expect(check.info.eosTokenIds).toContain(path.pop());
    expect(path).toEqual(answer);
    expect(textOf(events)).toBe(chat.decode(answer));
  });

  it("same seed ⇒ same text, other seeds differ (temperature 1)", async () => {
    const engine = createEngine({ runner: await runner(), tokenizer: chat });
    const run = async (seed: number) => tokensOf(await collect(engine.generate(ask("Write a poem", { temperature: 1, seed, maxNewTokens: 10 }))));
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it("stops on <|eot_id|> (forced by biasing the logits) without emitting it", async () => {
    // prefill is one forward call; from the 4th call on (the 3rd decode step) EOS wins
    const biased = withLogitBias(await runner(), (call, logits) => call >= 4 && (logits[EOT] = 1e9));
    const events = await collect(createEngine({ runner: biased, tokenizer: chat }).generate(ask("Hello", { maxNewTokens: 50 })));
    expect(doneOf(events).stats).toMatchObject({ stopReason: "eos", completionTokens: 3 });
    expect(tokensOf(events)).not.toContain(EOT);
  });

  it("stops with reason context when the cache is full", async () => {
    const base = await runner({ maxPositions: 48 });
    const noEos = withLogitBias(base, (_, logits) => base.info.eosTokenIds.forEach((id) => (logits[id] = -1e9)));
    const events = await collect(createEngine({ runner: noEos, tokenizer: chat }).generate(ask("Hi", { maxNewTokens: 100 })));
    expect(doneOf(events).stats.stopReason).toBe("context");
    expect(base.length).toBe(48);
    expect(doneOf(events).stats.completionTokens).toBe(48 - chat.encodeChat(ask("Hi").messages).length + 1);
  });
});

/** Wraps a runner so a test can edit the logits of every forward call (1-based call number). */
function withLogitBias(base: ModelRunner, edit: (call: number, logits: Float32Array) => unknown): ModelRunner {
  let calls = 0;
  return {
    info: base.info,
    get length() {
      return base.length;
    },
    async forward(ids, options) {
      const logits = await base.forward(ids, options);
      edit(++calls, logits);
      return logits;
    },
    truncate: (n) => base.truncate(n),
    dispose: () => base.dispose(),
  };
}
