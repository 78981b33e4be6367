/**
 * A request the API refuses, with the HTTP status and the `{"error":{"code","message","field"}}`
 * body it answers with. Thrown only by the route layer (app/ routes, server/http while reading a request);
 * the use cases throw their own errors (ChatError, EngineError), which server/http/json-response.ts maps
 * to a status.
 */
import type { ApiErrorBody } from "@/lib/schemas/errors";

export type ApiErrorCode =
  | "invalid_request"
  | "invalid_json"
  | "unsupported_media_type"
  | "payload_too_large"
  | "not_found"
  | "unauthorized"
  | "forbidden"
  | "conflict"
  | "answering"
  | "not_ready"
  | "busy"
  | "context_overflow"
  | "database_unreachable"
  | "internal";

export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "RequestError";
  }

  toBody(): ApiErrorBody {
    return apiErrorBody(this.code, this.message, this.field);
  }
}

export function apiErrorBody(code: string, message: string, field?: string): ApiErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

export const notFound = (what: string, field?: string) => new RequestError(404, "not_found", `${what} not found`, field);
