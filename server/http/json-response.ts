/**
 * server/http/ — helpers for the Next route handlers: JSON bodies and errors (this file maps every
 * use-case and engine error to its HTTP status), request reading with limits, zod errors, SSE.
 */
import { RequestError, apiErrorBody, type ApiErrorCode } from "@/lib/api/request-error";
import { isTooManyAttempts } from "@/server/auth/key-throttle";
import { ChatError, type ChatErrorKind } from "@/server/chat/chat-error";
import { DatabaseUnreachableError } from "@/server/db/database-unreachable";
import { isEngineError } from "@/server/engine/types";
import type { EngineErrorCode } from "@/server/engine/types";

const NO_STORE = { "Cache-Control": "no-store" };

export function jsonResponse(data: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  return Response.json(data, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

/**
 * `{ [key]: items }` — the same bytes as `jsonResponse` — written a few milliseconds of items at a time with a
 * turn for the event loop in between: one JSON.stringify of 3,000 imported conversations held it ~0.2 s.
 */
export function slicedJsonResponse(key: string, items: readonly unknown[], init: { status?: number } = {}): Response {
  const encoder = new TextEncoder();
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const since = performance.now();
      let text = next === 0 ? `{${JSON.stringify(key)}:[` : "";
      for (; next < items.length && performance.now() - since < 5; next++) text += (next > 0 ? "," : "") + JSON.stringify(items[next]);
      if (next === items.length) text += "]}";
      controller.enqueue(encoder.encode(text));
      if (next === items.length) controller.close();
    },
  });
  return new Response(body, { status: init.status ?? 200, headers: { ...NO_STORE, "Content-Type": "application/json" } });
}

const ENGINE_STATUS: Record<EngineErrorCode, number> = {
  busy: 503,
  not_ready: 503,
  context_overflow: 400,
  aborted: 499,
  internal: 500,
};

const CHAT_STATUS: Record<ChatErrorKind, { status: number; code: ApiErrorCode }> = {
  not_found: { status: 404, code: "not_found" },
  invalid: { status: 400, code: "invalid_request" },
  conflict: { status: 409, code: "conflict" },
  answering: { status: 409, code: "answering" },
};

/**
 * Every failure as the API's JSON error body: the one place where use-case and engine errors get
 * their HTTP status. Unknown errors are logged here, server-side, and answered with a generic
 * message: a stack trace never reaches the client.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof RequestError) return jsonResponse(error.toBody(), { status: error.status });
  if (error instanceof ChatError) {
    const { status, code } = CHAT_STATUS[error.kind];
    return jsonResponse(apiErrorBody(code, error.message, error.field), { status });
  }
  if (isEngineError(error)) {
    const status = ENGINE_STATUS[error.code] ?? 500;
    return jsonResponse(apiErrorBody(error.code, error.message), {
      status,
      headers: error.code === "busy" ? { "Retry-After": "5" } : undefined,
    });
  }
  if (isTooManyAttempts(error)) {
    return jsonResponse(apiErrorBody("too_many_attempts", error.message), { status: 429, headers: { "Retry-After": String(error.retryAfterS) } });
  }
  if (error instanceof DatabaseUnreachableError) {
    console.error("[api]", error.message);
    return jsonResponse(apiErrorBody("database_unreachable", error.message), { status: 503, headers: { "Retry-After": "5" } });
  }
  console.error("[api] unexpected error:", error);
  return jsonResponse(apiErrorBody("internal", "Something went wrong on the server. Details are in the server log."), { status: 500 });
}

/** Wraps a route handler so that whatever it throws becomes a JSON error response. */
export function withErrors<A extends unknown[]>(handler: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
