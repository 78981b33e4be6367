/**
 * `POST /api/chat` from the browser: EventSource cannot POST, so this is fetch + the shared SSE
 * parser. Every frame is validated against the event contract; unknown events are skipped so an
 * older UI keeps working against a newer server.
 */
import { readSseStream } from "@/lib/sse/parse";
import type { ChatRequest } from "@/lib/schemas/chat";
import { chatEventSchemas, type ChatEvent, type ChatEventName } from "@/lib/schemas/events";
import { ApiError, errorFromResponse } from "./api";

export function parseChatEvent(event: string, data: string): ChatEvent | null {
  if (!(event in chatEventSchemas)) return null;
  const name = event as ChatEventName;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = chatEventSchemas[name].safeParse(json);
  return parsed.success ? ({ event: name, data: parsed.data } as ChatEvent) : null;
}

async function* eventsOf(response: Response, signal: AbortSignal): AsyncGenerator<ChatEvent> {
  if (!response.ok) throw await errorFromResponse(response);
  if (response.status === 204) return;
  if (!response.body) throw new ApiError("The server sent an empty response.", response.status, "bad_response");
  for await (const frame of readSseStream(response.body, signal)) {
    const event = parseChatEvent(frame.event, frame.data);
    if (event) yield event;
  }
}

async function fetchOrExplain(url: string, init: RequestInit & { signal: AbortSignal }): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (cause) {
    if (init.signal.aborted) throw cause;
    throw new ApiError("Cannot reach the BitNet Chat server. Is it still running?", 0, "network_error");
  }
}

/**
 * Re-attaches to a conversation's running answer: a `snapshot` event, then the same events as
 * `streamChat`; nothing when no answer runs. Aborting `signal` only detaches.
 */
export async function* followAnswer(conversationId: string, signal: AbortSignal): AsyncGenerator<ChatEvent> {
  const url = `/api/conversations/${encodeURIComponent(conversationId)}/stream`;
  yield* eventsOf(await fetchOrExplain(url, { headers: { Accept: "text/event-stream" }, cache: "no-store", signal }), signal);
}

/**
 * Yields the typed events of one chat request. Throws ApiError when the server rejects the request
 * (validation errors arrive as a JSON 4xx, not as a stream). Aborting `signal` only detaches: the
 * answer goes on on the server (`stopAnswer` stops it).
 */
export async function* streamChat(body: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatEvent> {
  const init = {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(body),
    signal,
  };
  yield* eventsOf(await fetchOrExplain("/api/chat", init), signal);
}
