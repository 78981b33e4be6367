import { describe, expect, it } from "vitest";
import type { GenerationStats } from "@/lib/schemas/stats";
import { buildCompletion, ChunkBuilder, newCompletionMeta, toFinishReason } from "@/server/openai/chat-objects";
import { encodeEvent, sseData } from "@/server/openai/chunk-stream";
import { toTimings, toUsage } from "@/server/openai/usage";

const meta = { id: "chatcmpl-test", created: 1_700_000_000, model: "m" };
const stats: GenerationStats = {
  promptTokens: 20,
  completionTokens: 10,
  cachedPromptTokens: 4,
  ttftMs: 160,
  prefillTokPerS: 100,
  decodeTokPerS: 25,
  totalMs: 560,
  stopReason: "length",
};

/** The JSON payloads of an SSE text, `[DONE]` kept as a string. */
function payloads(sse: string): unknown[] {
  return sse
    .split("\n\n")
    .filter((block) => block !== "")
    .map((block) => {
      expect(block.startsWith("data: ")).toBe(true);
      const data = block.slice("data: ".length);
      return data === "[DONE]" ? data : JSON.parse(data);
    });
}

describe("completion objects", () => {
  it("builds a chat.completion with usage and llama.cpp-style timings", () => {
    const completion = buildCompletion(meta, "Hi there", { ...stats, stopReason: "eos" });
    expect(completion).toEqual({
      id: "chatcmpl-test",
      object: "chat.completion",
      created: 1_700_000_000,
      model: "m",
      choices: [{ index: 0, message: { role: "assistant", content: "Hi there", refusal: null }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30, prompt_tokens_details: { cached_tokens: 4 } },
      timings: toTimings(stats),
    });
  });

  it("reports timings from the measured stats", () => {
    expect(toTimings(stats)).toEqual({
      cache_n: 4,
      prompt_n: 16,
      prompt_ms: 160,
      prompt_per_token_ms: 10,
      prompt_per_second: 100,
      predicted_n: 10,
      predicted_ms: 400,
      predicted_per_token_ms: 40,
      predicted_per_second: 25,
    });
    expect(toUsage(stats).total_tokens).toBe(30);
  });

  it("maps stop reasons to OpenAI finish reasons", () => {
    expect(toFinishReason("eos")).toBe("stop");
    expect(toFinishReason("stop")).toBe("stop");
    expect(toFinishReason("length")).toBe("length");
    expect(toFinishReason("context")).toBe("length");
  });

  it("makes unique chatcmpl ids and second-resolution timestamps", () => {
    const a = newCompletionMeta("m", new Date(1_700_000_000_999));
    const b = newCompletionMeta("m");
    expect(a.id).toMatch(/^chatcmpl-[A-Za-z0-9_-]{16}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.created).toBe(1_700_000_000);
  });
});

describe("chunk encoding", () => {
  it("formats one SSE data line per payload", () => {
    expect(sseData("[DONE]")).toBe("data: [DONE]\n\n");
    expect(sseData({ a: 1 })).toBe('data: {"a":1}\n\n');
  });

  it("sends role first, content deltas, finish chunk with empty delta, then [DONE] (no usage field)", () => {
    const chunks = new ChunkBuilder(meta, false);
    const sse =
      sseData(chunks.role()) +
      encodeEvent({ type: "token", text: "Hel", id: 1 }, chunks, false) +
      encodeEvent({ type: "token", text: "", id: 2 }, chunks, false) +
      encodeEvent({ type: "prefill", done: 1, total: 2 }, chunks, false) +
      encodeEvent({ type: "token", text: "lo", id: 3 }, chunks, false) +
      encodeEvent({ type: "done", stats }, chunks, false);
    const [role, first, second, finish, done, ...rest] = payloads(sse) as Record<string, unknown>[];
    expect(rest).toEqual([]);
    const base = { id: "chatcmpl-test", object: "chat.completion.chunk", created: 1_700_000_000, model: "m" };
    expect(role).toEqual({
      ...base,
      choices: [{ index: 0, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null }],
    });
    expect(first).toEqual({ ...base, choices: [{ index: 0, delta: { content: "Hel" }, logprobs: null, finish_reason: null }] });
    expect(second!.choices).toEqual([{ index: 0, delta: { content: "lo" }, logprobs: null, finish_reason: null }]);
    expect(finish).toEqual({
      ...base,
      choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "length" }],
      timings: toTimings(stats),
    });
    expect(done).toBe("[DONE]");
  });

  it("with include_usage: usage null on every chunk, then a usage chunk with no choices before [DONE]", () => {
    const chunks = new ChunkBuilder(meta, true);
    const sse =
      sseData(chunks.role()) + encodeEvent({ type: "token", text: "x", id: 1 }, chunks, true) + encodeEvent({ type: "done", stats }, chunks, true);
    const all = payloads(sse) as Record<string, unknown>[];
    expect(all.at(-1)).toBe("[DONE]");
    const usageChunk = all.at(-2)!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toEqual(toUsage(stats));
    for (const chunk of all.slice(0, -2)) expect(chunk).toHaveProperty("usage", null);
  });

  it("reports a failure after the start in-stream as an OpenAI error, without [DONE]", () => {
    const chunks = new ChunkBuilder(meta, false);
    const sse = encodeEvent({ type: "done", stats: { ...stats, stopReason: "error" }, error: "ORT failed" }, chunks, false);
    expect(payloads(sse)).toEqual([
      { error: { message: "Generation failed: ORT failed", type: "server_error", param: null, code: "generation_failed" } },
    ]);
  });
});
