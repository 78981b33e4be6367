/**
 * Request bodies time out: a client that sends headers and then drips its body a byte at a time would
 * otherwise hold a connection (and, behind proxy.ts, a buffered body) for Node's default 5 minutes.
 * `next start` offers no setting for the HTTP server's `requestTimeout`, so it is set on the server the first
 * time it reports a request through `diagnostics_channel` (a documented Node API). Node checks open requests
 * every 30 s (`connectionsCheckingInterval`), so a stalled body is cut after 30–60 s with a 408.
 * Streaming responses are not affected: the timeout covers receiving the request only.
 */
import diagnosticsChannel from "node:diagnostics_channel";
import type { Server } from "node:http";

export const REQUEST_TIMEOUT_MS = 30_000;

export function limitRequestTime(ms: number = REQUEST_TIMEOUT_MS): () => void {
  const seen = new WeakSet<Server>();
  const onRequest = (message: unknown) => {
    const server = (message as { server?: Server }).server;
    if (!server || seen.has(server)) return;
    seen.add(server);
    server.requestTimeout = ms;
    if (server.headersTimeout > ms) server.headersTimeout = ms;
  };
  diagnosticsChannel.subscribe("http.server.request.start", onRequest);
  return () => diagnosticsChannel.unsubscribe("http.server.request.start", onRequest);
}
