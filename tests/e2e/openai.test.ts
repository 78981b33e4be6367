/**
 * The OpenAI-compatible API on the production server (`next start`) with the tiny test model, driven by
 * the official `openai` client. A second server with BITNET_API_KEY covers authentication and client
 * aborts (its logs show that the engine job really stopped).
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "./support/app-server";

const PROMPT = [{ role: "user" as const, content: "Write a short story about a lighthouse." }];
/**
 * `<|begin_of_text|>User: Write a short story about a lighthouse.<|eot_id|>Assistant: ` in the Llama 3
 * tokenizer: a property of the tokenizer files, the same on every machine.
 */
const PROMPT_TOKENS = 16;
// The tiny random model does not reach an end-of-turn token within these lengths on this prompt (checked
// over 40 seeds), so every answer runs to max_tokens: counts are exact. Its text is pinned only within a
// run: near-ties can break differently on other CPU kernels (AVX2 vs AVX-512).

function clientFor(baseUrl: string, apiKey = "not-needed"): OpenAI {
  // No retries: a 429/503 must fail the test, not be hidden by the client's back-off.
  return new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey, maxRetries: 0, timeout: 60_000 });
}

interface Timings {
  prompt_n: number;
  predicted_n: number;
  predicted_per_second: number;
}

describe("OpenAI-compatible API (production server, official client)", () => {
  const baseUrl = inject("baseUrl");
  const client = clientFor(baseUrl);
  let model = "";

  beforeAll(async () => {
    const models = await client.models.list();
    expect(models.data).toHaveLength(1);
    model = models.data[0]!.id;
  });

  it("lists the loaded model and retrieves it by id", async () => {
    expect(model).toBe(inject("tinyOnnx").split("/").at(-1));
    const retrieved = await client.models.retrieve(model);
    expect(retrieved).toMatchObject({ id: model, object: "model", owned_by: "local" });
    expect(retrieved.created).toBeGreaterThan(1_700_000_000);
  });

  it("streams exactly the text of the non-streaming answer, with consistent usage", async () => {
    const params = { model, messages: PROMPT, temperature: 0, seed: 11, max_tokens: 24 };
    const completion = await client.chat.completions.create(params);
    expect(completion.object).toBe("chat.completion");
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe(model);
    const choice = completion.choices[0]!;
    expect(choice.message.role).toBe("assistant");
    expect(choice.message.content!.length).toBeGreaterThan(0);
    expect(choice.finish_reason).toBe("length");
    const usage = completion.usage!;
    expect(usage).toMatchObject({ prompt_tokens: PROMPT_TOKENS, completion_tokens: 24, total_tokens: PROMPT_TOKENS + 24 });
    const timings = (completion as unknown as { timings: Timings }).timings;
    expect(timings.predicted_n).toBe(usage.completion_tokens);
    expect(timings.predicted_per_second).toBeGreaterThan(0);

    const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta.role).toBe("assistant");
    expect(chunks.every((c) => c.id === chunks[0]!.id && c.object === "chat.completion.chunk")).toBe(true);
    const streamed = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(streamed).toBe(choice.message.content);
    const finishes = chunks.filter((c) => c.choices[0]?.finish_reason != null);
    expect(finishes).toHaveLength(1);
    expect(finishes[0]!.choices[0]!.finish_reason).toBe(choice.finish_reason);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      total_tokens: usage.total_tokens,
    });
  });

  it("sends OpenAI's wire format: data lines, usage null before the usage chunk, then [DONE]", async () => {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ model, messages: PROMPT, max_tokens: 4, temperature: 0, stream: true, stream_options: { include_usage: true } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await response.text();
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    const events = text.split("\n\n").filter(Boolean);
    expect(events.every((e) => e.startsWith("data: "))).toBe(true);
    const payloads = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as Record<string, unknown>);
    expect(payloads.slice(0, -1).every((p) => p.usage === null)).toBe(true);
    expect(payloads.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 4 } });
    expect(payloads.at(-2)).toMatchObject({ choices: [{ index: 0, delta: {}, finish_reason: "length" }] });
  });

  it("gives the same text for the same prompt and seed when sampling", async () => {
    const ask = (seed: number) =>
      client.chat.completions.create({ model, messages: PROMPT, temperature: 1, seed, max_tokens: 12 }).then((c) => {
        expect(c.usage!.completion_tokens).toBe(12);
        return c.choices[0]!.message.content;
      });
    const first = await ask(5);
    expect(await ask(5)).toBe(first);
    expect(await ask(6)).not.toBe(first);
  });

  it("stops at max_tokens with finish_reason length", async () => {
    const completion = await client.chat.completions.create({ model, messages: PROMPT, max_tokens: 3, temperature: 0 });
    expect(completion.choices[0]!.finish_reason).toBe("length");
    expect(completion.usage!.completion_tokens).toBe(3);
  });

  it("stops before a stop string, which is not returned", async () => {
    const base = { model, messages: PROMPT, temperature: 0, max_tokens: 24 };
    const stream = await client.chat.completions.create({ ...base, stream: true });
    const deltas: string[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) deltas.push(chunk.choices[0].delta.content);
    const full = deltas.join("");
    // A piece from the middle of the greedy answer: the same request with it as `stop` must end just before it.
    const stop = deltas.slice(3).find((d) => d.trim().length > 0)!;
    expect(stop).toBeTruthy();
    const completion = await client.chat.completions.create({ ...base, stop });
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.choices[0]!.message.content).toBe(full.slice(0, full.indexOf(stop)));
  });

  it("rejects bad parameters with 400 and the offending param", async () => {
    await expect(client.chat.completions.create({ model, messages: PROMPT, temperature: 5 })).rejects.toMatchObject({
      status: 400,
      param: "temperature",
      type: "invalid_request_error",
    });
    await expect(client.chat.completions.create({ model, messages: PROMPT, n: 2 })).rejects.toMatchObject({ status: 400, param: "n" });
    await expect(
      client.chat.completions.create({ model, messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }] }] }),
    ).rejects.toMatchObject({ status: 400, param: "messages[0].content[0].type" });
    const malformed = await fetch(`${baseUrl}/v1/chat/completions`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{oops" });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { type: "invalid_request_error", code: "invalid_json" } });
  });

  it("does not store API requests as conversations", async () => {
    const listConversations = async (query = "") => {
      const response = await fetch(`${baseUrl}/api/conversations${query}`);
      expect(response.status).toBe(200);
      return ((await response.json()) as { conversations: unknown[] }).conversations;
    };
    const before = await listConversations();
    const marker = `zebrafish${Date.now()}`;
    await client.chat.completions.create({ model, messages: [{ role: "user", content: `Remember ${marker}` }], max_tokens: 2 });
    expect(await listConversations()).toEqual(before);
    expect(await listConversations(`?q=${marker}`)).toEqual([]);
  });

  it("answers other /v1 URLs with an OpenAI-shaped 404", async () => {
    const response = await fetch(`${baseUrl}/v1/completions`, { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error", message: expect.stringContaining("POST /v1/completions") } });
  });

  it("answers 404 model_not_found for a model it does not serve", async () => {
    await expect(client.chat.completions.create({ model: "gpt-4o", messages: PROMPT })).rejects.toMatchObject({
      status: 404,
      code: "model_not_found",
    });
  });
});

describe("OpenAI-compatible API with BITNET_API_KEY and no waiting line (BITNET_MAX_QUEUE=0)", () => {
  const KEY = "e2e-secret-key";
  let server: AppServer;
  let model = "";

  beforeAll(async () => {
    server = await startAppServer({ BITNET_MODEL: inject("tinyOnnx"), BITNET_API_KEY: KEY, BITNET_MAX_QUEUE: "0", BITNET_PARALLEL: "1" }, { waitForModel: true });
    model = (await clientFor(server.baseUrl, KEY).models.list()).data[0]!.id;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("refuses a wrong or missing key with 401 and accepts the right one", async () => {
    await expect(clientFor(server.baseUrl, "wrong").chat.completions.create({ model, messages: PROMPT, max_tokens: 2 })).rejects.toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
    await expect(clientFor(server.baseUrl, "wrong").models.list()).rejects.toMatchObject({ status: 401 });
    const anonymous = await fetch(`${server.baseUrl}/v1/models`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.type).toBe("invalid_request_error");
    const ok = await clientFor(server.baseUrl, KEY).chat.completions.create({ model, messages: PROMPT, max_tokens: 2 });
    expect(ok.usage!.completion_tokens).toBe(2);
  });

  it("stops generating when the client aborts mid-stream, and serves the next request", async () => {
    const client = clientFor(server.baseUrl, KEY);
    // No max_tokens: the answer could run to the end of the context window.
    const stream = await client.chat.completions.create({ model, messages: PROMPT, temperature: 0, stream: true });
    let id = "";
    let received = 0;
    for await (const chunk of stream) {
      id = chunk.id;
      if (chunk.choices[0]?.delta.content) received++;
      if (received === 3) {
        stream.controller.abort();
        // A chunk already read with this one would still be yielded after the abort (CI counted 4 once).
        break;
      }
    }
    expect(received).toBe(3);
    // The server read on to the engine's own `done`, which says the job ended because of the abort.
    await expect
      .poll(() => server.logs(), { timeout: 10_000 })
      .toMatch(new RegExp(`${id}: client disconnected after \\d+ streamed tokens; generation stopped \\(abort\\)`));

    const next = await client.chat.completions.create({ model, messages: PROMPT, max_tokens: 3, temperature: 0 });
    expect(next.choices[0]!.finish_reason).toBe("length");
  });

  it("answers 429 with Retry-After while the model is busy, then serves again", async () => {
    const client = clientFor(server.baseUrl, KEY);
    // Without max_tokens this answer runs to the end of the context window: the model stays busy meanwhile.
    const running = await client.chat.completions.create({ model, messages: PROMPT, stream: true });
    const iterator = running[Symbol.asyncIterator]();
    await iterator.next();

    const refused = await client.chat.completions.create({ model, messages: PROMPT, max_tokens: 2 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused).toMatchObject({ status: 429, code: "queue_full", type: "rate_limit_error" });
    expect(Number((refused as InstanceType<typeof OpenAI.RateLimitError>).headers?.get("retry-after"))).toBeGreaterThan(0);

    running.controller.abort();
    await expect
      .poll(async () => {
        const retry = await client.chat.completions.create({ model, messages: PROMPT, max_tokens: 2 }).catch(() => null);
        return retry?.usage?.completion_tokens ?? 0;
      }, { timeout: 10_000, interval: 200 })
      .toBe(2);
  });

  it("shares one queue with the chat UI: the API gets 429 while a UI answer holds the model", async () => {
    const ui = new AbortController();
    const chat = await fetch(`${server.baseUrl}/api/chat`, {
      method: "POST",
      // The key protects the chat UI's API too (issue 10).
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ content: "Tell me a very long story.", params: { maxNewTokens: 2048, temperature: 0 } }),
      signal: ui.signal,
    });
    expect(chat.status).toBe(200);
    const reader = chat.body!.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    // Wait until the UI job has the model (its first token).
    while (!/event: token/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += decoder.decode(value, { stream: true });
    }
    expect(seen).toMatch(/event: token/);

    const client = clientFor(server.baseUrl, KEY);
    await expect(client.chat.completions.create({ model, messages: PROMPT, max_tokens: 2 })).rejects.toMatchObject({ status: 429 });

    // Closing the UI's stream only detaches (the answer belongs to the server); Stop frees the model.
    ui.abort();
    await reader.cancel().catch(() => undefined);
    const conversationId = /"conversationId":"([^"]+)"/.exec(seen)![1];
    const stop = await fetch(`${server.baseUrl}/api/conversations/${conversationId}/stop`, { method: "POST", headers: { Authorization: `Bearer ${KEY}` } });
    expect(stop.status).toBe(200);
    await expect
      .poll(async () => {
        const retry = await client.chat.completions.create({ model, messages: PROMPT, max_tokens: 2 }).catch(() => null);
        return retry?.usage?.completion_tokens ?? 0;
      }, { timeout: 10_000, interval: 200 })
      .toBe(2);
  });
});

describe("OpenAI-compatible API without a loaded model", () => {
  let server: AppServer;

  beforeAll(async () => {
    // A folder that does not exist: the model host ends in its error state and never loads an engine.
    server = await startAppServer({ BITNET_MODEL: "/nonexistent/bitnet-model" });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("answers 503 model_not_ready with Retry-After and the host's explanation", async () => {
    const client = clientFor(server.baseUrl);
    const model = (await client.models.list()).data[0]!.id;
    const error = await client.chat.completions.create({ model, messages: PROMPT }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 503, code: "model_not_ready", type: "server_error" });
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toMatch(/\S{10,}/);
    expect(Number((error as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after"))).toBeGreaterThan(0);
  });
});
