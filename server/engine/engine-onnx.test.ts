/**
 * The engine on the real ONNX runner (tiny converted model): incremental decoding with the KV cache must
 * pick exactly the tokens a full forward pass over prompt + answer would, and prefix reuse must not change them.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadOnnxRunner, type OnnxRunner } from "@/server/runtime/onnx-runner";
import { createEngine } from "./create-engine";
import { argmax } from "./sampler";
import { fakeTokenizer } from "./testing/fake-model";
import type { EngineEvent, GenerateRequest } from "./types";

let runner: OnnxRunner;
let check: OnnxRunner;

beforeAll(async () => {
  runner = await loadOnnxRunner(inject("tinyOnnx"), { threads: 1 });
  check = await loadOnnxRunner(inject("tinyOnnx"), { threads: 1 });
});
afterAll(async () => {
  await runner?.dispose();
  await check?.dispose();
});

async function collect(events: AsyncIterable<EngineEvent>): Promise<EngineEvent[]> {
  const out: EngineEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}
const tokensOf = (events: EngineEvent[]) => events.flatMap((e) => (e.type === "token" ? [e.id] : []));

const params = { temperature: 0, topP: 1, topK: 0, maxNewTokens: 24, repetitionPenalty: 1 };

describe("engine on the ONNX runner", () => {
  it("greedy decoding follows the argmax of a full forward pass over prompt + answer", async () => {
    const tokenizer = fakeTokenizer();
    const engine = createEngine({ runner, tokenizer, prefillChunk: 7 }); // odd chunks: exercises chunk boundaries
    const req: GenerateRequest = { messages: [{ role: "user", content: "Tell me about the weather" }], params };
    const answer = tokensOf(await collect(engine.generate(req)));
    expect(answer.length).toBe(24);
    const prompt = tokenizer.encodeChat(req.messages);
    check.truncate(0);
    const keep = answer.length;
    const logits = await check.forward([...prompt, ...answer.slice(0, -1)], { keepLogits: keep });
    const V = check.info.vocabSize;
    const path = Array.from({ length: keep }, (_, i) => argmax(logits.subarray(i * V, (i + 1) * V), V));
    expect(answer).toEqual(path);
  });

  it("a second turn served partly from the KV cache gives the same tokens as a cold run", async () => {
    const tokenizer = fakeTokenizer();
    const warm = createEngine({ runner, tokenizer });
    const first: GenerateRequest = { messages: [{ role: "user", content: "First" }], params: { ...params, temperature: 0.9, seed: 3 }, cacheKey: "c1" };
    const firstText = (await collect(warm.generate(first))).map((e) => (e.type === "token" ? e.text : "")).join("");
    const second: GenerateRequest = {
      messages: [...first.messages, { role: "assistant", content: firstText }, { role: "user", content: "Second" }],
      params: first.params,
      cacheKey: "c1",
    };
    const warmEvents = await collect(warm.generate(second));
    expect(warmEvents[0]).toMatchObject({ type: "start" });
    expect((warmEvents[0] as { cachedPromptTokens: number }).cachedPromptTokens).toBeGreaterThan(10);
    const cold = createEngine({ runner: check, tokenizer });
    check.truncate(0);
    expect(tokensOf(warmEvents)).toEqual(tokensOf(await collect(cold.generate(second))));
  });

  it("speculative decoding gives the same tokens as plain decoding when drafts are accepted and rejected", async () => {
    // The tiny model's answers never repeat, so prompt lookup has nothing to propose: an oracle proposes the
    // plain run's own next tokens, with every third draft token wrong, to exercise accept, reject and rollback.
    const tokenizer = fakeTokenizer();
    const cases = [params, { ...params, temperature: 0.9, topP: 0.95, topK: 40, repetitionPenalty: 1.1, seed: 11 }];
    for (const p of cases) {
      const req: GenerateRequest = { messages: [{ role: "user", content: "Tell me a story" }], params: p };
      runner.truncate(0);
      const plain = tokensOf(await collect(createEngine({ runner, tokenizer }).generate({ ...req, params: { ...p, speculative: false } })));
      const prompt = tokenizer.encodeChat(req.messages);
      const oracle = (history: readonly number[], k: number) => {
        const at = history.length - prompt.length;
        return plain.slice(at, at + k).map((id, i) => ((at + i) % 3 === 2 ? (id + 1) % V() : id));
      };
      runner.truncate(0);
      const events = await collect(createEngine({ runner, tokenizer, proposeDraft: oracle }).generate({ ...req, params: { ...p, speculative: true } }));
      expect(tokensOf(events)).toEqual(plain);
      const stats = (events[events.length - 1] as Extract<EngineEvent, { type: "done" }>).stats;
      expect(stats.acceptedDraftTokens).toBeGreaterThan(5);
      expect(stats.draftTokens).toBeGreaterThan(stats.acceptedDraftTokens!);
      // What the cache holds after the answer equals a fresh run on prompt + answer (rollbacks left nothing behind).
      expect(runner.length).toBe(prompt.length + plain.length - 1);
    }
  });
});

const V = () => runner.info.vocabSize;
