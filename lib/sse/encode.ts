/**
 * Server-Sent Events framing, the one encoder for both streams: `/api/chat` (named events, see
 * lib/schemas/events.ts) and `/v1/chat/completions` (unnamed `data:` frames, as OpenAI sends them),
 * with the one header set both send.
 *
 * The two streams are driven differently on purpose: /api/chat's (server/http/sse-response.ts) pushes
 * and drains the use case to its end even after the client leaves (its last step saves the answer) and
 * sends the heartbeat while idle; /v1's (server/openai/chunk-stream.ts) is pulled, so the engine makes a
 * token only when the client has taken the last one, stops the job when the client leaves, and sends no
 * comment lines (OpenAI's wire is data frames only).
 */

/** `data: <text>\n\n`. The text must be one line: JSON.stringify never emits a raw newline. */
export function encodeSseData(text: string): string {
  if (/[\r\n]/.test(text)) throw new Error("An SSE data line cannot contain line breaks");
  return `data: ${text}\n\n`;
}

/** `event: <name>\ndata: <json>\n\n`. */
export function encodeSseEvent(name: string, data: unknown): string {
  if (/[\r\n]/.test(name)) throw new Error("SSE event names cannot contain line breaks");
  return `event: ${name}\n${encodeSseData(JSON.stringify(data))}`;
}

/** A comment line: keeps proxies and the browser from timing out an idle stream; parsers ignore it. */
export const SSE_HEARTBEAT = ": ping\n\n";

export const SSE_HEADERS: Record<string, string> = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
};
