import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { RequestError } from "@/lib/api/request-error";
import { readSseStream } from "@/lib/sse/parse";
import { ChatError } from "@/server/chat/chat-error";
import { EngineError } from "@/server/engine/types";
import { errorResponse, jsonResponse, slicedJsonResponse, withErrors } from "./json-response";
import { MAX_JSON_DEPTH, readJsonBody } from "./read-json";
import { sseResponse } from "./sse-response";
import { parseOrThrow } from "./zod-error";

describe("errorResponse / withErrors", () => {
  it("never leaks a stack trace: unknown errors become a generic 500 JSON body", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const handler = withErrors(async () => {
      throw new Error("secret path /etc/passwd at line 42");
    });
    const response = await handler();
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("secret");
    expect(text).not.toContain("at ");
    expect(JSON.parse(text).error.code).toBe("internal");
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });

  it("maps the chat use cases' errors to 404 / 400 / 409, naming the field", async () => {
    const missing = errorResponse(new ChatError("not_found", "Conversation not found", "conversationId"));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "not_found", message: "Conversation not found", field: "conversationId" } });
    expect(errorResponse(new ChatError("invalid", "conversationId is required", "conversationId")).status).toBe(400);
    const conflict = errorResponse(new ChatError("conflict", "Nothing to edit", "mode"));
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).error.code).toBe("conflict");
  });

  it("maps request and engine errors to their status", async () => {
    expect(errorResponse(new RequestError(404, "not_found", "Conversation not found", "id")).status).toBe(404);
    const busy = errorResponse(new EngineError("busy", "try later"));
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("5");
    expect(await errorResponse(new EngineError("not_ready", "loading")).json()).toEqual({ error: { code: "not_ready", message: "loading" } });
  });
});

describe("parseOrThrow", () => {
  const schema = z.object({ a: z.object({ b: z.number() }) });
  it("names the dotted field and keeps schema messages that already name it", () => {
    expect(() => parseOrThrow(schema, { a: { b: "x" } })).toThrow(expect.objectContaining({ status: 400, field: "a.b", message: expect.stringMatching(/^a\.b: /) }));
    const named = z.object({ temperature: z.number().max(2, "temperature must be between 0 and 2") });
    expect(() => parseOrThrow(named, { temperature: 3 })).toThrow(expect.objectContaining({ field: "temperature", message: "temperature must be between 0 and 2" }));
  });
});

describe("readJsonBody", () => {
  const post = (body: string, type = "application/json") => new Request("http://x/", { method: "POST", headers: { "Content-Type": type }, body });
  it("accepts JSON content types with parameters", async () => {
    expect(await readJsonBody(post('{"a":1}', "application/json; charset=utf-8"))).toEqual({ a: 1 });
  });
  it("refuses other content types, empty and malformed bodies, and bodies over the limit", async () => {
    await expect(readJsonBody(post("{}", "text/plain"))).rejects.toMatchObject({ status: 415 });
    await expect(readJsonBody(post(""))).rejects.toMatchObject({ status: 400, code: "invalid_json" });
    await expect(readJsonBody(post("{"))).rejects.toMatchObject({ status: 400, code: "invalid_json" });
    await expect(readJsonBody(post(JSON.stringify({ s: "x".repeat(100) })), { maxBytes: 50 })).rejects.toMatchObject({ status: 413 });
  });
});

describe("readJsonBody when the client hangs up", () => {
  it("answers a cut-off body with a 400 and logs it as an abort, not as an unexpected error", async () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => undefined);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"a":'));
        controller.error(new Error("aborted"));
      },
    });
    const request = new Request("http://x/api/chat", { method: "POST", headers: { "Content-Type": "application/json" }, body, duplex: "half" } as RequestInit);
    const response = await withErrors(async () => Response.json(await readJsonBody(request)))();
    expect(response.status).toBe(400);
    expect(info).toHaveBeenCalledWith(expect.stringMatching(/closed the connection while sending the body/));
    expect(error).not.toHaveBeenCalled();
    info.mockRestore();
    error.mockRestore();
  });
});

describe("readJsonBody and lone surrogates", () => {
  const post = (body: string) => new Request("http://x/", { method: "POST", headers: { "Content-Type": "application/json" }, body });
  it("refuses a lone surrogate with 400 naming the field, and keeps real surrogate pairs", async () => {
    await expect(readJsonBody(post('{"messages":[{"content":"ok"},{"content":"a\\ud800b"}]}'))).rejects.toMatchObject({
      status: 400,
      code: "invalid_request",
      field: "messages.1.content",
    });
    await expect(readJsonBody(post('{"title":"\\udc00"}'))).rejects.toMatchObject({ field: "title" });
    expect(await readJsonBody(post('{"content":"\\ud83d\\ude00"}'))).toEqual({ content: "😀" });
  });
});

describe("readJsonBody and deep nesting", () => {
  const post = (body: string) => new Request("http://x/", { method: "POST", headers: { "Content-Type": "application/json" }, body });
  it("answers 400 naming the field for 100,000 nested arrays or objects, and accepts 64 levels", async () => {
    const levels = 100_000;
    await expect(readJsonBody(post(`{"messages":${"[".repeat(levels)}${"]".repeat(levels)}}`))).rejects.toMatchObject({
      status: 400,
      code: "invalid_json",
      field: `messages${".0".repeat(MAX_JSON_DEPTH)}`,
    });
    await expect(readJsonBody(post(`${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`))).rejects.toMatchObject({ status: 400, code: "invalid_json" });
    const deepest = `${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`;
    expect(await readJsonBody(post(`{"a":1,"b":${deepest.slice(1, -1)}}`))).toMatchObject({ a: 1 });
  });
});

describe("slicedJsonResponse", () => {
  it("writes the same bytes as jsonResponse, a few milliseconds of items at a time", async () => {
    const items = Array.from({ length: 3_000 }, (_, i) => ({ id: `c${i}`, title: "é \u2028 \"quoted\"", messages: [{ n: i, nested: [1, null, true] }] }));
    for (const list of [items, [], [items[0]]]) {
      const sliced = slicedJsonResponse("conversations", list, { status: 201 });
      const whole = jsonResponse({ conversations: list }, { status: 201 });
      expect(sliced.status).toBe(201);
      expect(sliced.headers.get("content-type")).toBe("application/json");
      expect(sliced.headers.get("cache-control")).toBe("no-store");
      expect(await sliced.text()).toBe(await whole.text());
    }
  });
});

describe("sseResponse", () => {
  it("sends a ping comment while the stream is idle", async () => {
    async function* slow() {
      await new Promise((r) => setTimeout(r, 120));
      yield { event: "done", data: { ok: true } };
    }
    const response = sseResponse(slow(), { abort: new AbortController(), heartbeatMs: 50 });
    const text = await response.text();
    expect(text.startsWith(": ping\n\n")).toBe(true);
    expect(text.endsWith('event: done\ndata: {"ok":true}\n\n')).toBe(true);
  });

  it("keeps draining the events after the client cancels, and aborts the job", async () => {
    const abort = new AbortController();
    let drained = false;
    async function* events() {
      yield { event: "start", data: {} };
      await new Promise((r) => setTimeout(r, 30));
      yield { event: "token", data: { text: "x" } };
      drained = true;
    }
    const response = sseResponse(events(), { abort, heartbeatMs: 1_000 });
    const reader = readSseStream(response.body!)[Symbol.asyncIterator]();
    expect((await reader.next()).value?.event).toBe("start");
    await reader.return?.(undefined);
    expect(abort.signal.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(drained).toBe(true);
  });
});

describe("engine errors from another bundle's copy of the class", () => {
  it("are recognised by shape, not identity", async () => {
    class EngineError extends Error {
      constructor(
        readonly code: string,
        message: string,
      ) {
        super(message);
        this.name = "EngineError";
      }
    }
    const response = errorResponse(new EngineError("not_ready", "still loading"));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: { code: "not_ready", message: "still loading" } });
  });
});
