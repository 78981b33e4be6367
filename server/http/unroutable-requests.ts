/**
 * Requests no route can take are refused in the API's JSON error shape before Next sees them:
 *
 * - a method no route answers (TRACE, or anything unknown): Next builds a fetch `Request` for proxy.ts, and
 *   undici refuses to make one of TRACE ("'TRACE' HTTP method is unsupported"), so Next answered a plain-text
 *   500 and logged an error — 405 here;
 * - a path with malformed percent-encoding (`/api/conversations/%ff`): Next's decoding of the dynamic
 *   segment threw, a plain-text 500 — 400 here, whatever the route.
 *
 * `next start` offers no hook before its own request listener, so this wraps it on the HTTP server the first
 * time that server reports a request through `diagnostics_channel` (published just before the `request`
 * event is emitted, so that first request is checked too), as ../lifecycle/request-timeout.ts does.
 */
import diagnosticsChannel from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { apiErrorBody } from "@/lib/api/request-error";
import { SECURITY_HEADERS } from "./security-headers";

/** Every method some route or page answers (OPTIONS: the /v1 CORS preflight). */
const ROUTED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export interface Unroutable {
  status: 400 | 405;
  code: "invalid_request" | "method_not_allowed";
  message: string;
}

/** Why no route can take this request line, or null. `target` is the raw request target (path and query). */
export function unroutable(method: string, target: string): Unroutable | null {
  if (!ROUTED_METHODS.has(method)) {
    return { status: 405, code: "method_not_allowed", message: `The ${method.slice(0, 20)} method is not supported: use ${[...ROUTED_METHODS].join(", ")}` };
  }
  const path = target.split("?", 1)[0]!;
  try {
    decodeURIComponent(path);
  } catch {
    return { status: 400, code: "invalid_request", message: "The URL path holds malformed percent-encoding (like %ff): encode it as UTF-8" };
  }
  return null;
}

function refuse(response: ServerResponse, { status, code, message }: Unroutable): void {
  const body = JSON.stringify(apiErrorBody(code, message));
  response.statusCode = status;
  response.setHeader("Content-Type", "application/json");
  response.setHeader("Cache-Control", "no-store");
  if (status === 405) response.setHeader("Allow", [...ROUTED_METHODS].join(", "));
  for (const { key, value } of SECURITY_HEADERS) response.setHeader(key, value);
  response.end(body);
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/** Puts the check in front of every `request` listener of `server` (once per server). */
export function guardServer(server: Server, seen: WeakSet<Server> = new WeakSet()): void {
  if (seen.has(server)) return;
  seen.add(server);
  const listeners = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const problem = unroutable(request.method ?? "", request.url ?? "/");
    if (problem) {
      request.resume(); // drain any body so the connection can be reused
      refuse(response, problem);
      return;
    }
    for (const listener of listeners) listener.call(server, request, response);
  });
}

export function refuseUnroutableRequests(): () => void {
  const seen = new WeakSet<Server>();
  const onRequest = (message: unknown) => {
    const server = (message as { server?: Server }).server;
    if (server) guardServer(server, seen);
  };
  diagnosticsChannel.subscribe("http.server.request.start", onRequest);
  return () => diagnosticsChannel.unsubscribe("http.server.request.start", onRequest);
}
