/**
 * A request the API refuses, with the HTTP status and the `{"error":{"code","message","field"}}`
 * body it answers with. Isomorphic so the server's use cases and the route helpers share one type.
 */
import type { ApiErrorBody } from "@/lib/schemas/errors";

export type ApiErrorCode =
  | "invalid_request"
  | "invalid_json"
  | "unsupported_media_type"
  | "payload_too_large"
  | "not_found"
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
