/**
 * Turns a use case's event generator into a `text/event-stream` Response.
 * The generator is always drained to its end, even after the client is gone: its last step saves
 * the answer. Client disconnects reach the job through both `request.signal` and the stream's
 * `cancel()` (either may fire first depending on how the connection closed).
 */
import { SSE_HEADERS, SSE_HEARTBEAT, encodeSseEvent } from "@/lib/sse/encode";
import { trackInFlight } from "@/server/lifecycle/in-flight";

export const HEARTBEAT_MS = 5_000;

export interface SseResponseOptions {
  /** Aborted when the client disconnects or cancels the stream. */
  abort: AbortController;
  requestSignal?: AbortSignal;
  heartbeatMs?: number;
}

export function sseResponse(events: AsyncIterable<{ event: string; data: unknown }>, options: SseResponseOptions): Response {
  const { abort } = options;
  const encoder = new TextEncoder();
  const onRequestAbort = () => abort.abort();
  options.requestSignal?.addEventListener("abort", onRequestAbort, { once: true });
  if (options.requestSignal?.aborted) abort.abort();
  let closed = false;
  let timer: ReturnType<typeof setInterval> | undefined;

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
      let lastSentAt = Date.now();
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
          lastSentAt = Date.now();
        } catch {
          closed = true;
        }
      };
      // Only idle streams need the ping (queued, long prompt): while tokens flow they keep the
      // connection alive. Checking five times per period keeps the gap close to `heartbeatMs`.
      timer = setInterval(() => {
        if (Date.now() - lastSentAt >= heartbeatMs) send(SSE_HEARTBEAT);
      }, Math.max(10, heartbeatMs / 5));
      // Tracked so a shutdown waits for the generator's last step (saving the answer) before closing the database.
      void trackInFlight((async () => {
        try {
          for await (const { event, data } of events) send(encodeSseEvent(event, data));
        } catch (error) {
          console.error("[sse] event stream failed:", error);
          send(encodeSseEvent("error", { code: "internal", message: "The server failed while answering. Details are in the server log." }));
        } finally {
          clearInterval(timer);
          options.requestSignal?.removeEventListener("abort", onRequestAbort);
          if (!closed) {
            closed = true;
            try {
              controller.close();
            } catch {
              // Already cancelled by the client.
            }
          }
        }
      })());
    },
    cancel() {
      closed = true;
      clearInterval(timer);
      abort.abort();
    },
  });
  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}
