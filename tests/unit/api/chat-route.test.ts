import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { chatEventSchemas } from "@/lib/schemas/events";
import { readSseStream, type SseFrame } from "@/lib/sse/parse";
import { createTestEngine } from "@/server/engine/testing/test-engine";
import { getDatabase } from "@/server/db/client";
import { counts, disposeTempDatabase, hostState, jsonRequest, useTempDatabase } from "./route-test-support";
import { until } from "@/server/chat/testing/until";

vi.mock("@/server/host/model-host", async () => {
  const { mockHost } = await import("./route-test-support");
  return { getModelHost: () => mockHost };
});
const { POST } = await import("@/app/api/chat/route");

beforeEach(useTempDatabase);
afterEach(disposeTempDatabase);

async function frames(response: Response): Promise<SseFrame[]> {
  const all: SseFrame[] = [];
  for await (const frame of readSseStream(response.body!)) all.push(frame);
  return all;
}

function assistantRows() {
  return getDatabase().sqlite.prepare("SELECT content, status, stats FROM messages WHERE role = 'assistant'").all() as { content: string; status: string; stats: string | null }[];
}

/** Lets exactly one forward pass through, once the model is waiting for it. */
async function step(gate: { waiting(): number; step(): void }): Promise<void> {
  await until(() => gate.waiting() > 0);
  gate.step();
}

describe("POST /api/chat", () => {
  it("streams typed SSE events and stores the turn", async () => {
    hostState.engine = createTestEngine({ answer: "Hi!" }).engine;
    const response = await POST(jsonRequest("/api/chat", { content: "hello", params: { maxNewTokens: 20 } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    const all = await frames(response);
    for (const frame of all) {
      expect(Object.keys(chatEventSchemas)).toContain(frame.event);
      chatEventSchemas[frame.event as keyof typeof chatEventSchemas].parse(JSON.parse(frame.data));
    }
    expect(all[0].event).toBe("start");
    expect(all.filter((f) => f.event === "token").map((f) => JSON.parse(f.data).text).join("")).toBe("Hi!");
    expect(JSON.parse(all.at(-1)!.data)).toMatchObject({ status: "complete" });
    expect(counts()).toEqual({ conversations: 1, messages: 2 });
  });

  it.each([
    ["malformed JSON", "{not json", "invalid_json", undefined, 400],
    ["a JSON array", [], "invalid_request", undefined, 400],
    ["missing content", {}, "invalid_request", "content", 400],
    ["content of the wrong type", { content: 5 }, "invalid_request", "content", 400],
    ["empty content", { content: "   " }, "invalid_request", "content", 400],
    ["content over 32k characters", { content: "x".repeat(32_001) }, "invalid_request", "content", 400],
    ["temperature out of range", { content: "hi", params: { temperature: 2.5 } }, "invalid_request", "params.temperature", 400],
    ["topP out of range", { content: "hi", params: { topP: -0.1 } }, "invalid_request", "params.topP", 400],
    ["topK not an integer", { content: "hi", params: { topK: 1.5 } }, "invalid_request", "params.topK", 400],
    ["maxNewTokens too large", { content: "hi", params: { maxNewTokens: 2049 } }, "invalid_request", "params.maxNewTokens", 400],
    ["repetitionPenalty of the wrong type", { content: "hi", params: { repetitionPenalty: "1.1" } }, "invalid_request", "params.repetitionPenalty", 400],
    ["negative seed", { content: "hi", params: { seed: -1 } }, "invalid_request", "params.seed", 400],
    ["unknown mode", { content: "hi", mode: "rewrite" }, "invalid_request", "mode", 400],
    ["unknown conversation", { content: "hi", conversationId: "does-not-exist" }, "not_found", "conversationId", 404],
    ["regenerate without a conversation", { content: "hi", mode: "regenerate" }, "invalid_request", "conversationId", 400],
    ["compare without variants", { content: "hi", mode: "compare" }, "invalid_request", "variants", 400],
    ["compare with one variant", { content: "hi", mode: "compare", variants: [{}] }, "invalid_request", "variants", 400],
    ["a compare variant out of range", { content: "hi", mode: "compare", variants: [{}, { temperature: 3 }] }, "invalid_request", "variants.1.temperature", 400],
    ["variants outside compare", { content: "hi", variants: [{}, {}] }, "invalid_request", "variants", 400],
    ["replay without messageId", { mode: "replay" }, "invalid_request", "messageId", 400],
    ["replay with params", { mode: "replay", messageId: "m", params: { seed: 1 } }, "invalid_request", "params", 400],
  ])("rejects %s with a JSON error naming the field, writing nothing", async (_name, body, code, field, status) => {
    hostState.engine = createTestEngine().engine;
    const response = await POST(jsonRequest("/api/chat", body));
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const json = await response.json();
    expect(json.error.code).toBe(code);
    expect(json.error.field).toBe(field);
    expect(json.error.message).toEqual(expect.any(String));
    if (field && status === 400) expect(json.error.message).toContain(field.split(".").at(-1));
    expect(counts()).toEqual({ conversations: 0, messages: 0 });
  });

  it("mode compare streams one `compare` event, then both answers' events tagged 0 and 1, and stores both", async () => {
    hostState.engine = createTestEngine({ answer: "Two." }).engine;
    const response = await POST(jsonRequest("/api/chat", { content: "hello", mode: "compare", variants: [{ temperature: 0 }, { temperature: 0.8 }] }));
    expect(response.status).toBe(200);
    const all = await frames(response);
    const events = all.map((f) => ({ event: f.event, data: chatEventSchemas[f.event as keyof typeof chatEventSchemas].parse(JSON.parse(f.data)) as { answer?: number } }));
    expect(events[0]!.event).toBe("compare");
    expect(events.slice(1).every((e) => e.data.answer === 0 || e.data.answer === 1)).toBe(true);
    expect(events.filter((e) => e.event === "done").map((e) => e.data.answer).sort()).toEqual([0, 1]);
    expect(assistantRows().map((r) => [r.content, r.status])).toEqual([["Two.", "complete"], ["Two.", "complete"]]);
  });

  it("rejects a wrong content type (415) and an oversized body (413)", async () => {
    hostState.engine = createTestEngine().engine;
    const text = await POST(jsonRequest("/api/chat", JSON.stringify({ content: "hi" }), { headers: { "Content-Type": "text/plain" } }));
    expect(text.status).toBe(415);
    expect((await text.json()).error.code).toBe("unsupported_media_type");
    // Above the 1.2 MB cap (content, system prompt and attached files' text, every character escaped).
    const huge = await POST(jsonRequest("/api/chat", { content: "x".repeat(1_300_000) }));
    expect(huge.status).toBe(413);
    expect(counts()).toEqual({ conversations: 0, messages: 0 });
  });

  it("answers 503 not_ready while the model is not loaded, writing nothing", async () => {
    const response = await POST(jsonRequest("/api/chat", { content: "hi" }));
    expect(response.status).toBe(503);
    expect((await response.json()).error).toMatchObject({ code: "not_ready", message: "The model is still loading." });
    expect(counts()).toEqual({ conversations: 0, messages: 0 });
  });

  it("a client that disconnects (request.signal) does not stop the answer: it runs to its end and is saved", async () => {
    const { engine, gate } = createTestEngine({ answer: "a fairly long answer", gated: true });
    hostState.engine = engine;
    const client = new AbortController();
    const response = await POST(jsonRequest("/api/chat", { content: "hi" }, { signal: client.signal }));
    const reader = readSseStream(response.body!)[Symbol.asyncIterator]();
    await step(gate!); // prefill
    await step(gate!); // first token
    for (let r = await reader.next(); !r.done; r = await reader.next()) if (r.value.event === "token") break;
    client.abort();
    gate!.open();
    await until(() => assistantRows()[0]?.stats !== null);
    const [row] = assistantRows();
    expect(row).toMatchObject({ status: "complete", content: "a fairly long answer" });
  });

  it("cancelling the response stream only detaches too", async () => {
    const { engine, gate } = createTestEngine({ answer: "another long answer", gated: true });
    hostState.engine = engine;
    const response = await POST(jsonRequest("/api/chat", { content: "hi" }));
    const reader = response.body!.getReader();
    await step(gate!);
    await step(gate!);
    await reader.read();
    await reader.cancel();
    gate!.open();
    await until(() => assistantRows()[0]?.stats !== null);
    expect(assistantRows()[0]).toMatchObject({ status: "complete", content: "another long answer" });
    expect(JSON.parse(assistantRows()[0].stats!).stopReason).toBe("eos");
  });
});
