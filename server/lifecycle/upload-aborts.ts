/**
 * A client that hangs up while sending its request body (or whose body runs past the request timeout) is an
 * abort, not a server failure. With proxy.ts, Next reads every body before any route runs and rethrows Node's
 * `Error: aborted` (ECONNRESET); its proxy stage then logs that error with `console.error` and a stack, like
 * any crash (issue 10, finding 9), and no setting turns that off.
 *
 * Subscribed to the same documented `diagnostics_channel` as request-timeout.ts: that message comes before
 * the server's `request` event, so this listener sees the request's `error` before Next's does. It logs one
 * line, names the error an `AbortError` (the other Next stages then end the request quietly) and marks it, and
 * `console.error` leaves out exactly the errors so marked — every other call goes through unchanged.
 */
import diagnosticsChannel from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";

const CHANNEL = "http.server.request.start";
const UPLOAD_ABORTED = Symbol("upload aborted");

function isMarkedAbort(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { [UPLOAD_ABORTED]?: boolean })[UPLOAD_ABORTED] === true;
}

export function logUploadAborts(log: Pick<Console, "info"> = console): () => void {
  const onRequest = (message: unknown) => {
    const request = (message as { request?: IncomingMessage }).request;
    if (!request) return;
    request.on("error", (error: Error & { code?: string; [UPLOAD_ABORTED]?: boolean }) => {
      if (error.code !== "ECONNRESET" && error.message !== "aborted") return;
      error.name = "AbortError";
      error[UPLOAD_ABORTED] = true;
      log.info(`[api] ${request.method} ${request.url?.split("?")[0]}: the connection closed before the request body was complete (client gone, or slower than the request timeout)`);
    });
  };
  const consoleError = console.error;
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && isMarkedAbort(args[0])) return;
    consoleError.apply(console, args);
  };
  diagnosticsChannel.subscribe(CHANNEL, onRequest);
  return () => {
    diagnosticsChannel.unsubscribe(CHANNEL, onRequest);
    console.error = consoleError;
  };
}
