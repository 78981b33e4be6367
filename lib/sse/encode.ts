/** Server-Sent Events framing for the chat stream (see lib/schemas/events.ts). */

/** `event: <name>\ndata: <json>\n\n`. JSON.stringify never emits a raw newline, so one data line suffices. */
export function encodeSseEvent(name: string, data: unknown): string {
  if (/[\r\n]/.test(name)) throw new Error("SSE event names cannot contain line breaks");
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: keeps proxies and the browser from timing out an idle stream; parsers ignore it. */
export const SSE_HEARTBEAT = ": ping\n\n";

export const SSE_HEADERS: Record<string, string> = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
};
