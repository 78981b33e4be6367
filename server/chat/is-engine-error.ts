import type { EngineError, EngineErrorCode } from "@/server/engine/types";

const CODES: readonly EngineErrorCode[] = ["busy", "not_ready", "context_overflow", "aborted", "internal"];

/**
 * `instanceof EngineError` is not reliable in the Next.js build: the model host lives on globalThis
 * and is created by whichever bundle (instrumentation, a route) touched it first, each with its own
 * copy of the EngineError class. Recognise it by shape instead.
 */
export function isEngineError(error: unknown): error is EngineError {
  return (
    error instanceof Error &&
    error.name === "EngineError" &&
    CODES.includes((error as { code?: unknown }).code as EngineErrorCode)
  );
}
