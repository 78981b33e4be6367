/**
 * Requests no route can take are refused in the API's JSON error shape before Next sees them:
 *
 * - a method no route answers (TRACE, or anything unknown): Next builds a fetch `Request` for proxy.ts, and
 *   undici refuses to make one of TRACE ("'TRACE' HTTP method is unsupported"), so Next answered a plain-text
 *   500 and logged an error — 405 here;
 * - a path with malformed percent-encoding (`/api/conversations/%ff`): Next's decoding of the dynamic
 *   segment threw, a plain-text 500 — 400 here, whatever the route;
 * - a known method the route does not have (`PUT /api/health`): Next answers an empty (or plain-text) 405 —
 *   given the JSON body here as it is sent.
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

function refuse(response: ServerResponse, { status, code, message }: Unroutable, end: (body: string) => void = (body) => response.end(body)): void {
  const body = JSON.stringify(apiErrorBody(code, message));
  response.statusCode = status;
  response.setHeader("Content-Type", "application/json");
  response.setHeader("Cache-Control", "no-store");
  if (status === 405 && !response.hasHeader("allow")) response.setHeader("Allow", [...ROUTED_METHODS].join(", "));
  for (const { key, value } of SECURITY_HEADERS) response.setHeader(key, value);
  end(body);
}

/**
 * Next's own 405 (a route without that method), when it is not JSON already, leaves as the API's JSON error.
 * Next streams it (headers first, then an empty body), so whichever of writeHead / flushHeaders / write / end
 * comes first while the status is 405 sends the JSON instead, and Next's later calls are dropped.
 */
function jsonMethodNotAllowed(request: IncomingMessage, response: ServerResponse): void {
  const original = {
    writeHead: response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse,
    flushHeaders: response.flushHeaders.bind(response),
    write: response.write.bind(response) as (...args: unknown[]) => boolean,
    end: response.end.bind(response) as (...args: unknown[]) => ServerResponse,
  };
  let taken = false;
  /** While the JSON is sent: Node's own `end` calls `writeHead` (implicit headers), which must go through. */
  let sending = false;
  const take = (): boolean => {
    if (sending) return false;
    if (taken) return true;
    if (response.statusCode !== 405 || response.headersSent || String(response.getHeader("content-type") ?? "").includes("json")) return false;
    taken = true;
    request.resume(); // Next may not have read the body: drain it, or the next request on the connection breaks
    response.removeHeader("content-length");
    response.removeHeader("transfer-encoding");
    sending = true;
    try {
      refuse(response, { status: 405, code: "method_not_allowed", message: `${request.method} is not supported here` }, (body) => void original.end(body));
    } finally {
      sending = false;
    }
    return true;
  };
  const callbackOf = (args: unknown[]) => args.find((a): a is () => void => typeof a === "function");
  response.writeHead = ((status: number, ...rest: unknown[]) => {
    if (status === 405 && !response.headersSent && !sending) {
      response.statusCode = 405;
      const headers = rest.find((a) => typeof a === "object" && a !== null);
      if (headers && !Array.isArray(headers)) for (const [key, value] of Object.entries(headers)) if (value !== undefined) response.setHeader(key, value as string);
      if (take()) return response;
    }
    return original.writeHead(status, ...rest);
  }) as ServerResponse["writeHead"];
  response.flushHeaders = () => {
    if (!take()) original.flushHeaders();
  };
  response.write = ((...args: unknown[]) => {
    if (!take()) return original.write(...args);
    callbackOf(args)?.();
    return true;
  }) as ServerResponse["write"];
  response.end = ((...args: unknown[]) => {
    if (!take()) return original.end(...args);
    callbackOf(args)?.();
    return response;
  }) as ServerResponse["end"];
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
    jsonMethodNotAllowed(request, response);
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
