/**
 * Errors in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, with OpenAI's status codes,
 * so the official clients raise their usual typed errors (BadRequestError, AuthenticationError, ...).
 */
import type { z } from "zod";
import { RequestError } from "@/lib/api/request-error";
import { isEngineError } from "@/server/engine/types";

export type OpenAIErrorType = "invalid_request_error" | "authentication_error" | "not_found_error" | "rate_limit_error" | "server_error";

export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: string | null };
}

export class OpenAIApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: OpenAIErrorType,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    /** Seconds, sent as `Retry-After` (the official clients honour it when they retry 429/503). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "OpenAIApiError";
  }

  body(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null): OpenAIApiError {
  return new OpenAIApiError(400, "invalid_request_error", message, param, code);
}

/** `["messages", 0, "content"]` → `messages[0].content`, the way OpenAI names a nested parameter. */
export function paramPath(path: readonly PropertyKey[]): string | null {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? null : out;
}

/** The first problem only, as OpenAI does: one message, one `param`. */
export function fromZodError(error: z.ZodError): OpenAIApiError {
  const issue = error.issues[0];
  if (!issue) return invalidRequest("Invalid request body.");
  const param = paramPath(issue.path);
  const custom = issue.code === "custom" && typeof issue.params?.code === "string" ? issue.params.code : null;
  const code = issue.path[0] === "model" && issue.code === "invalid_type" ? "missing_required_parameter" : custom;
  return invalidRequest(issue.message, param, code);
}

/** Seconds a client should wait before retrying a busy or still-loading server. */
const BUSY_RETRY_SECONDS = 5;
const NOT_READY_RETRY_SECONDS = 10;

/** Maps whatever a handler threw to an OpenAI-shaped error; unknown errors never leak a stack trace. */
export function toOpenAIError(error: unknown): OpenAIApiError {
  if (error instanceof OpenAIApiError) return error;
  // The shared body reader's 400 (malformed JSON), 413 (too large) and 415 (not JSON).
  if (error instanceof RequestError) return new OpenAIApiError(error.status, "invalid_request_error", error.message, error.field ?? null, error.code);
  if (isEngineError(error)) {
    switch (error.code) {
      case "busy":
        return new OpenAIApiError(429, "rate_limit_error", error.message, null, "queue_full", BUSY_RETRY_SECONDS);
      case "not_ready":
        return new OpenAIApiError(503, "server_error", error.message, null, "model_not_ready", NOT_READY_RETRY_SECONDS);
      case "context_overflow":
        return invalidRequest(error.message, "messages", "context_length_exceeded");
      case "aborted":
        // Only reachable when the client already went away; the status is for the logs.
        return new OpenAIApiError(499, "invalid_request_error", error.message, null, "request_aborted");
      default:
        return new OpenAIApiError(500, "server_error", error.message, null, "internal_error");
    }
  }
  return new OpenAIApiError(500, "server_error", "The server had an error while processing your request.", null, "internal_error");
}

export function errorResponse(error: unknown): Response {
  const apiError = toOpenAIError(error);
  if (apiError.status >= 500 && !isEngineError(error) && !(error instanceof OpenAIApiError)) {
    // The client gets a generic message; the operator gets the real one.
    console.error("[v1] unexpected error:", error);
  }
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (apiError.retryAfter !== undefined) headers["Retry-After"] = String(apiError.retryAfter);
  return new Response(JSON.stringify(apiError.body()), { status: apiError.status, headers });
}
