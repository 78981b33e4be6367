/**
 * The route logic driven by the official `openai` client (its `fetch` calls the handlers directly), so the
 * shapes are checked by the parser that real users run. The engine is the real one (queue, generation
 * loop, abort) over the fake runner that answers a scripted text one byte per token, so token counts
 * are exact.
 */
import OpenAI from "openai";
import { describe, expect, it, vi } from "vitest";
import { EngineError, type Engine } from "@/server/engine/types";
import { createTestEngine } from "@/server/engine/testing/test-engine";
import { fakeHost } from "@/server/host/testing/fake-host";
import { handleChatCompletions } from "@/server/openai/chat-completions";
import { handleListModels, handleRetrieveModel } from "@/server/openai/models";

const MODEL = "microsoft/bitnet-b1.58-2B-4T";
const ANSWER = "Hello, world!";
/** One token per byte. */
const ANSWER_TOKENS = ANSWER.length;
const LONG_ANSWER = "t".repeat(400);

function clientFor(engine: Engine | EngineError, options: { serverKey?: string; clientKey?: string } = {}) {
  const host = fakeHost(engine, MODEL);
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const { pathname } = new URL(request.url);
    if (pathname === "/v1/chat/completions") return handleChatCompletions(request, host, options.serverKey ?? "");
    if (pathname === "/v1/models") return handleListModels(request, host, options.serverKey ?? "");
    if (pathname.startsWith("/v1/models/")) {
      const id = decodeURIComponent(pathname.slice("/v1/models/".length));
      return handleRetrieveModel(request, host, id, options.serverKey ?? "");
    }
    return new Response("not found", { status: 404 });
  };
  return new OpenAI({ apiKey: options.clientKey ?? "unused", baseURL: "http://local.test/v1", fetch, maxRetries: 0 });
}

const messages = [{ role: "user" as const, content: "Say hello" }];

describe("POST /v1/chat/completions (handler)", () => {
  it("answers a non-streaming completion", async () => {
    const t = createTestEngine({ answer: ANSWER });
    const completion = await clientFor(t.engine).chat.completions.create({ model: MODEL, messages, seed: 3, temperature: 0 });
    expect(completion.object).toBe("chat.completion");
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe(MODEL);
    expect(completion.choices[0]!.message).toMatchObject({ role: "assistant", content: "Hello, world!" });
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ completion_tokens: ANSWER_TOKENS, total_tokens: completion.usage!.prompt_tokens + ANSWER_TOKENS });
    // The fake tokenizer: bos, "User: Say hello", end of turn, "Assistant: ".
    expect(completion.usage!.prompt_tokens).toBe(1 + "User: Say hello".length + 1 + "Assistant: ".length);
    expect((completion as unknown as { timings: { predicted_n: number } }).timings.predicted_n).toBe(ANSWER_TOKENS);
    expect(t.requests[0]!.params).toMatchObject({ seed: 3, temperature: 0 });
    expect(t.engine.queueLength()).toBe(0);
  });

  it("streams the same text, with role first, finish_reason and usage chunk", async () => {
    const t = createTestEngine({ answer: ANSWER + " and more" });
    const stream = await clientFor(t.engine).chat.completions.create({
      model: MODEL,
      messages,
      max_tokens: ANSWER_TOKENS,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta).toMatchObject({ role: "assistant", content: "" });
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Hello, world!");
    const finish = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finish).toHaveLength(1);
    expect(finish[0]!.choices[0]!.finish_reason).toBe("length");
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: ANSWER_TOKENS });
    // One content chunk per generated token.
    expect(chunks.filter((c) => c.choices[0]?.delta.content)).toHaveLength(ANSWER_TOKENS);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    // The engine frees the model in its iterator's clean-up, which must run once the stream is over.
    await expect.poll(() => t.engine.queueLength()).toBe(0);
  });

  it("gives the same text for the same prompt and seed when sampling", async () => {
    const t = createTestEngine({ answer: ANSWER, runner: { script: () => undefined } });
    const ask = (seed: number) =>
      clientFor(t.engine).chat.completions.create({ model: MODEL, messages, seed, temperature: 1, max_tokens: 24 }).then((c) => c.choices[0]!.message.content);
    const first = await ask(7);
    expect(first).toHaveLength(24);
    expect(await ask(7)).toBe(first);
    expect(await ask(8)).not.toBe(first);
  });

  it("aborts the engine job when the client aborts mid-stream", async () => {
    const t = createTestEngine({ answer: LONG_ANSWER });
    const stream = await clientFor(t.engine).chat.completions.create({ model: MODEL, messages, stream: true });
    let received = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) received++;
      if (received === 3) stream.controller.abort();
    }
    await expect.poll(() => t.engine.queueLength()).toBe(0);
    // Decoding stopped soon after the abort: far fewer forward passes than the answer's 400 tokens.
    expect(t.runner.calls.length).toBeLessThan(20);
  });

  it("aborts the engine job when the response stream is cancelled", async () => {
    const t = createTestEngine({ answer: LONG_ANSWER });
    const request = new Request("http://local.test/v1/chat/completions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ model: MODEL, messages, stream: true }),
    });
    const response = await handleChatCompletions(request, fakeHost(t.engine, MODEL), "");
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const log = vi.spyOn(console, "info").mockImplementation(() => {});
    try {
      const reader = response.body!.getReader();
      await reader.read();
      await reader.read();
      await reader.cancel();
      await expect.poll(() => t.engine.queueLength()).toBe(0);
      expect(t.runner.calls.length).toBeLessThan(20);
      // The clean-up waited for the engine's own done event, so the log can say the job stopped.
      expect(log).toHaveBeenCalledWith(expect.stringMatching(/client disconnected after 1 streamed tokens; generation stopped \(abort\)/));
    } finally {
      log.mockRestore();
    }
  });

  it("rejects bad parameters with 400 and the param", async () => {
    const client = clientFor(createTestEngine().engine);
    await expect(client.chat.completions.create({ model: MODEL, messages, temperature: 5 })).rejects.toMatchObject({
      status: 400,
      param: "temperature",
      type: "invalid_request_error",
    });
    await expect(client.chat.completions.create({ model: MODEL, messages, n: 2 })).rejects.toMatchObject({ status: 400, param: "n" });
  });

  it("answers 404 model_not_found for another model", async () => {
    await expect(clientFor(createTestEngine().engine).chat.completions.create({ model: "gpt-4o", messages })).rejects.toMatchObject({
      status: 404,
      code: "model_not_found",
      param: "model",
    });
  });

  it("answers 400 on malformed JSON", async () => {
    const request = new Request("http://local.test/v1/chat/completions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{not json",
    });
    const response = await handleChatCompletions(request, fakeHost(createTestEngine().engine, MODEL), "");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error", code: "invalid_json", param: null } });
  });

  it("reads the body through the size-capped JSON reader: 415 unless JSON, 413 above the cap, engine never called", async () => {
    const t = createTestEngine();
    const host = fakeHost(t.engine, MODEL);
    const body = JSON.stringify({ model: MODEL, messages });
    const plain = new Request("http://local.test/v1/chat/completions", { method: "POST", headers: { "Content-Type": "text/plain" }, body });
    const refused = await handleChatCompletions(plain, host, "");
    expect(refused.status).toBe(415);
    expect(await refused.json()).toMatchObject({ error: { type: "invalid_request_error", code: "unsupported_media_type" } });
    const huge = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "x".repeat(2_000_000) }] });
    const tooLarge = new Request("http://local.test/v1/chat/completions", { method: "POST", headers: { "Content-Type": "application/json" }, body: huge });
    expect((await handleChatCompletions(tooLarge, host, "")).status).toBe(413);
    expect(t.requests).toHaveLength(0);
  });

  it("maps engine refusals: busy → 429, not loaded → 503, prompt too long → 400", async () => {
    // No room in line: one job holds the model (gated), the next request is refused.
    const busy = createTestEngine({ gated: true, maxQueue: 0 });
    const holder = busy.engine.generate({ messages, params: { temperature: 0, topP: 1, topK: 0, maxNewTokens: 4, repetitionPenalty: 1 } })[Symbol.asyncIterator]();
    const held = holder.next(); // takes the model, then waits at the gate
    await expect.poll(() => busy.engine.queueLength()).toBe(1);
    await expect(clientFor(busy.engine).chat.completions.create({ model: MODEL, messages })).rejects.toMatchObject({ status: 429, code: "queue_full" });
    busy.gate!.open();
    await held;
    for (let r = await holder.next(); !r.done; r = await holder.next());

    const small = createTestEngine({ runner: { maxPositions: 64 } });
    await expect(
      clientFor(small.engine).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "x".repeat(200) }], stream: true }),
    ).rejects.toMatchObject({ status: 400, code: "context_length_exceeded" });
    await expect(clientFor(new EngineError("not_ready", "still loading")).chat.completions.create({ model: MODEL, messages })).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining("still loading"),
    });
  });

  it("raises a mid-stream engine failure as an APIError in the client", async () => {
    // Forward pass 1 is the prefill; pass 3 fails after two decoded tokens.
    const t = createTestEngine({ answer: LONG_ANSWER, runner: { failOnCall: 3 } });
    const stream = await clientFor(t.engine).chat.completions.create({ model: MODEL, messages, stream: true });
    let text = "";
    await expect(async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    }).rejects.toThrow(/Generation failed: fake forward failure/);
    expect(text).toBe("tt");
  });

  it("requires the bearer key when one is configured", async () => {
    const t = createTestEngine({ answer: ANSWER });
    await expect(clientFor(t.engine, { serverKey: "k1", clientKey: "k2" }).chat.completions.create({ model: MODEL, messages })).rejects.toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
    await expect(clientFor(t.engine, { serverKey: "k1", clientKey: "k2" }).models.list()).rejects.toMatchObject({ status: 401 });
    expect(t.requests).toHaveLength(0);
    const ok = await clientFor(t.engine, { serverKey: "k1", clientKey: "k1" }).chat.completions.create({ model: MODEL, messages });
    expect(ok.choices[0]!.message.content).toBe(ANSWER);
  });

  it("reuses a cached prompt only for the same caller (key and `user`): cached_tokens reveals nothing of another's prompt", async () => {
    const t = createTestEngine({ answer: ANSWER });
    const secret = [{ role: "user" as const, content: "The password is hunter2, keep it safe." }];
    const cached = async (clientKey: string, user?: string) =>
      (await clientFor(t.engine, { clientKey }).chat.completions.create({ model: MODEL, messages: secret, user, temperature: 0 })).usage!
        .prompt_tokens_details!.cached_tokens;
    await cached("victim-key");
    expect(await cached("victim-key")).toBeGreaterThan(10); // the same caller does reuse it
    expect(await cached("attacker-key")).toBe(0);
    await cached("shared-key", "alice");
    expect(await cached("shared-key", "bob")).toBe(0);
    expect(await cached("shared-key", "bob")).toBeGreaterThan(10);
  });
});

describe("GET /v1/models (handler)", () => {
  it("lists and retrieves the served model", async () => {
    const client = clientFor(createTestEngine().engine);
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models).toEqual([{ id: MODEL, object: "model", created: expect.any(Number), owned_by: "microsoft" }]);
    expect(await client.models.retrieve(MODEL)).toMatchObject({ id: MODEL });
    await expect(client.models.retrieve("gpt-4o")).rejects.toMatchObject({ status: 404 });
  });
});

describe("logprobs / top_logprobs (OpenAI's shape, through the official client)", () => {
  const entryShape = { token: expect.any(String), logprob: expect.any(Number), bytes: expect.any(Array), top_logprobs: expect.any(Array) };

  it("non-streaming: one entry per token, in order, with the asked number of alternatives", async () => {
    const t = createTestEngine({ answer: "Héllo" }); // "é" is two byte-tokens: the first alone is half a character
    const completion = await clientFor(t.engine).chat.completions.create({ model: MODEL, messages, temperature: 0, logprobs: true, top_logprobs: 3 });
    const content = completion.choices[0]!.logprobs!.content!;
    expect(completion.choices[0]!.logprobs!.refusal).toBeNull();
    expect(content).toHaveLength(6);
    for (const entry of content) {
      expect(entry).toMatchObject(entryShape);
      expect(entry.logprob).toBeLessThanOrEqual(0);
      expect(entry.top_logprobs).toHaveLength(3);
      expect(entry.top_logprobs[0]).toEqual({ token: entry.token, logprob: entry.logprob, bytes: entry.bytes }); // greedy: the best one
      expect(entry.top_logprobs.map((a) => a.logprob)).toEqual([...entry.top_logprobs.map((a) => a.logprob)].sort((a, b) => b - a));
    }
    // The bytes of all tokens are the answer's UTF-8, split inside "é" where the tokens split it.
    expect(Buffer.from(content.flatMap((e) => e.bytes!)).toString("utf8")).toBe("Héllo");
    expect(content[1]!.bytes).toEqual([0xc3]);
    expect(t.requests[0]!.logprobs).toBe(3);
  });

  it("logprobs without top_logprobs: entries with empty alternatives; no logprobs: null and nothing recorded", async () => {
    const t = createTestEngine({ answer: ANSWER });
    const withEntries = await clientFor(t.engine).chat.completions.create({ model: MODEL, messages, logprobs: true });
    expect(withEntries.choices[0]!.logprobs!.content!.map((e) => e.top_logprobs)).toEqual(Array(ANSWER_TOKENS).fill([]));
    const without = await clientFor(t.engine).chat.completions.create({ model: MODEL, messages });
    expect(without.choices[0]!.logprobs).toBeNull();
    expect(t.requests[1]!.logprobs).toBeUndefined();
  });

  it("streaming: each content chunk carries the entries of its tokens; 20 alternatives are recorded when asked", async () => {
    const t = createTestEngine({ answer: "Héllo" });
    const stream = await clientFor(t.engine).chat.completions.create({ model: MODEL, messages, temperature: 0, logprobs: true, top_logprobs: 20, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const content = chunks.filter((c) => c.choices[0]?.delta.content);
    expect(content.map((c) => c.choices[0]!.delta.content).join("")).toBe("Héllo");
    // "é" arrives as one chunk carrying both of its tokens' entries.
    expect(content.map((c) => c.choices[0]!.logprobs!.content!.length)).toEqual([1, 2, 1, 1, 1]);
    const entries = content.flatMap((c) => c.choices[0]!.logprobs!.content!);
    for (const entry of entries) expect(entry).toMatchObject(entryShape);
    expect(entries.every((e) => e.top_logprobs.length === 20)).toBe(true);
    expect(chunks[0]!.choices[0]!.logprobs).toBeNull();
  });

  it("refuses top_logprobs above 20, below 0, or without logprobs, with OpenAI's 400s", async () => {
    const client = clientFor(createTestEngine({ answer: ANSWER }).engine);
    await expect(client.chat.completions.create({ model: MODEL, messages, logprobs: true, top_logprobs: 21 })).rejects.toMatchObject({
      status: 400,
      param: "top_logprobs",
      type: "invalid_request_error",
      message: expect.stringContaining("Invalid value for 'top_logprobs': must be less than or equal to 20."),
    });
    await expect(client.chat.completions.create({ model: MODEL, messages, logprobs: true, top_logprobs: -1 })).rejects.toMatchObject({ status: 400, param: "top_logprobs", code: "integer_below_min_value" });
    await expect(client.chat.completions.create({ model: MODEL, messages, top_logprobs: 2 })).rejects.toMatchObject({
      status: 400,
      param: "top_logprobs",
      message: expect.stringContaining("The 'top_logprobs' parameter is only allowed when 'logprobs' is enabled."),
    });
    await expect(client.chat.completions.create({ model: MODEL, messages, logprobs: false, top_logprobs: 2, stream: true })).rejects.toMatchObject({ status: 400, param: "top_logprobs" });
  });
});
