/**
 * The database server cannot be reached (PostgreSQL down, restarting, network gone): the API answers
 * 503 with this message instead of a generic 500, /api/health reports it, and the next request tries
 * again — nothing in the app has to restart when the database comes back.
 */
export class DatabaseUnreachableError extends Error {
  constructor(cause: unknown) {
    super(`database unreachable: ${describe(cause)}. The server keeps running and reconnects when the database is back.`, { cause });
    this.name = "DatabaseUnreachableError";
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}

// Socket-level failures, and PostgreSQL's connection-exception class (08xxx) and shutdown codes (57P01–03).
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);
const SERVER_CODES = /^(08...|57P0[123])$/;
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is insecure|terminating connection/i;

/** True when `error` (or what it wraps) says the connection to the database failed, not the query. */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (depth > 5 || !(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (NETWORK_CODES.has(code) || SERVER_CODES.test(code))) return true;
  if (CONNECTION_MESSAGES.test(error.message)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isConnectionFailure(inner, depth + 1))) return true;
  return isConnectionFailure(error.cause, depth + 1);
}
