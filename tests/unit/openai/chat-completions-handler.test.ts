/**
 * The route logic driven by the official `openai` client (its `fetch` calls the handlers directly), so the
 * shapes are checked by the parser that real users run. The engine is scripted (see fake-engine.ts).
 */
import OpenAI from "openai";
import { describe, expect, it, vi } from "vitest";
import { EngineError } from "@/server/engine/types";
import { handleChatCompletions } from "@/server/openai/chat-completions";
import { handleListModels, handleRetrieveModel } from "@/server/openai/models";
import { FakeEngine, fakeHost } from "./fake-engine";

const MODEL = "microsoft/bitnet-b1.58-2B-4T";

function clientFor(engine: FakeEngine | EngineError, options: { serverKey?: string; clientKey?: string } = {}) {
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
    const engine = new FakeEngine();
    const completion = await clientFor(engine).chat.completions.create({ model: MODEL, messages, seed: 3, temperature: 0 });
    expect(completion.object).toBe("chat.completion");
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe(MODEL);
    expect(completion.choices[0]!.message).toMatchObject({ role: "assistant", content: "Hello, world!" });
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ completion_tokens: 4, total_tokens: completion.usage!.prompt_tokens + 4 });
    expect((completion as unknown as { timings: { predicted_n: number } }).timings.predicted_n).toBe(4);
    expect(engine.requests[0]!.params).toMatchObject({ seed: 3, temperature: 0 });
    expect(engine.finished).toBe(true);
  });

  it("streams the same text, with role first, finish_reason and usage chunk", async () => {
    const engine = new FakeEngine({ stopReason: "length" });
    const stream = await clientFor(engine).chat.completions.create({
      model: MODEL,
      messages,
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
    expect(last.usage).toMatchObject({ completion_tokens: 4 });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    // The engine frees the model in its iterator's clean-up, which must run once the stream is over.
    await expect.poll(() => engine.finished).toBe(true);
    expect(engine.aborted).toBe(false);
  });

  it("aborts the engine job when the client aborts mid-stream", async () => {
    const engine = new FakeEngine({ tokens: Array.from({ length: 200 }, (_, i) => `t${i} `), tokenDelayMs: 5 });
    const stream = await clientFor(engine).chat.completions.create({ model: MODEL, messages, stream: true });
    let received = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) received++;
      if (received === 3) stream.controller.abort();
    }
    await expect.poll(() => engine.finished).toBe(true);
    expect(engine.aborted).toBe(true);
  });

  it("aborts the engine job when the response stream is cancelled", async () => {
    const engine = new FakeEngine({ tokens: Array.from({ length: 200 }, (_, i) => `t${i} `), tokenDelayMs: 5 });
    const request = new Request("http://local.test/v1/chat/completions", {
      method: "POST",
      body: JSON.stringify({ model: MODEL, messages, stream: true }),
    });
    const response = await handleChatCompletions(request, fakeHost(engine, MODEL), "");
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const log = vi.spyOn(console, "info").mockImplementation(() => {});
    try {
      const reader = response.body!.getReader();
      await reader.read();
      await reader.read();
      await reader.cancel();
      expect(engine.finished).toBe(true);
      expect(engine.aborted).toBe(true);
      // The clean-up waited for the engine's own done event, so the log can say the job stopped.
      expect(log).toHaveBeenCalledWith(expect.stringMatching(/client disconnected after 1 streamed tokens; generation stopped \(abort\)/));
    } finally {
      log.mockRestore();
    }
  });

  it("rejects bad parameters with 400 and the param", async () => {
    const client = clientFor(new FakeEngine());
    await expect(client.chat.completions.create({ model: MODEL, messages, temperature: 5 })).rejects.toMatchObject({
      status: 400,
      param: "temperature",
      type: "invalid_request_error",
    });
    await expect(client.chat.completions.create({ model: MODEL, messages, n: 2 })).rejects.toMatchObject({ status: 400, param: "n" });
  });

  it("answers 404 model_not_found for another model", async () => {
    await expect(clientFor(new FakeEngine()).chat.completions.create({ model: "gpt-4o", messages })).rejects.toMatchObject({
      status: 404,
      code: "model_not_found",
      param: "model",
    });
  });

  it("answers 400 on malformed JSON", async () => {
    const request = new Request("http://local.test/v1/chat/completions", { method: "POST", body: "{not json" });
    const response = await handleChatCompletions(request, fakeHost(new FakeEngine(), MODEL), "");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error", code: "invalid_json", param: null } });
  });

  it("maps engine refusals: busy → 429, not loaded → 503, prompt too long → 400", async () => {
    await expect(
      clientFor(new FakeEngine({ failWith: new EngineError("busy", "queue full") })).chat.completions.create({ model: MODEL, messages }),
    ).rejects.toMatchObject({ status: 429, code: "queue_full" });
    await expect(
      clientFor(new FakeEngine({ failWith: new EngineError("context_overflow", "too long") })).chat.completions.create({
        model: MODEL,
        messages,
        stream: true,
      }),
    ).rejects.toMatchObject({ status: 400, code: "context_length_exceeded" });
    await expect(clientFor(new EngineError("not_ready", "still loading")).chat.completions.create({ model: MODEL, messages })).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining("still loading"),
    });
  });

  it("raises a mid-stream engine failure as an APIError in the client", async () => {
    const engine = new FakeEngine({ doneError: "session crashed" });
    const stream = await clientFor(engine).chat.completions.create({ model: MODEL, messages, stream: true });
    await expect(async () => {
      for await (const chunk of stream) void chunk;
    }).rejects.toThrow(/session crashed/);
  });

  it("requires the bearer key when one is configured", async () => {
    const engine = new FakeEngine();
    await expect(clientFor(engine, { serverKey: "k1", clientKey: "k2" }).chat.completions.create({ model: MODEL, messages })).rejects.toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
    await expect(clientFor(engine, { serverKey: "k1", clientKey: "k2" }).models.list()).rejects.toMatchObject({ status: 401 });
    expect(engine.requests).toHaveLength(0);
    const ok = await clientFor(engine, { serverKey: "k1", clientKey: "k1" }).chat.completions.create({ model: MODEL, messages });
    expect(ok.choices[0]!.message.content).toBe("Hello, world!");
  });
});

describe("GET /v1/models (handler)", () => {
  it("lists and retrieves the served model", async () => {
    const client = clientFor(new FakeEngine());
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models).toEqual([{ id: MODEL, object: "model", created: expect.any(Number), owned_by: "microsoft" }]);
    expect(await client.models.retrieve(MODEL)).toMatchObject({ id: MODEL });
    await expect(client.models.retrieve("gpt-4o")).rejects.toMatchObject({ status: 404 });
  });
});
