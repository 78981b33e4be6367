import { chatRequestSchema } from "@/lib/schemas/chat";
import { answerRegistry } from "@/server/chat/answer-registry";
import { startAnswer } from "@/server/chat/start-answer";
import { startCompare } from "@/server/chat/start-compare";
import type { ChatEvent } from "@/lib/schemas/events";
import { fairShare } from "@/server/http/fair-share";
import { requestScope } from "@/server/http/request-store";
import { getModelHost } from "@/server/host/model-host";
import { withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { sseResponse } from "@/server/http/sse-response";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// 32k characters of content, an 8k system prompt and 100k characters of attached files' text, even if
// every character were a \u escape.
const MAX_BODY_BYTES = 1_200_000;

/**
 * Validation (400/413/415), an unknown conversation (404), a conversation already answering (409)
 * and a model that is not loaded (503) answer JSON before anything is written; from then on the
 * answer is an event stream. Closing the stream only detaches: the answer runs on and is saved
 * (`POST /api/conversations/{id}/stop` stops it).
 */
export const POST = withErrors(async (request: Request) => {
  const body = parseOrThrow(chatRequestSchema, await readJsonBody(request, { maxBytes: MAX_BODY_BYTES }));
  const engine = getModelHost().engine();
  const detach = new AbortController();
  // A compare pair is two answers run as one unit (one stream, one Stop).
  const { store, user } = await requestScope(request);
  // With accounts, each answer counts against its account's share until it is saved (server/http/fair-share.ts).
  const release = user ? fairShare().take(user.id) : () => undefined;
  let events: AsyncGenerator<ChatEvent>;
  try {
    const args = { db: store, engine, registry: answerRegistry(), request: body, signal: detach.signal };
    const started = body.mode === "compare" ? await startCompare(args) : await startAnswer(args);
    events = started.events;
    void ("pair" in started ? started.pair : started.answer).settled.then(release, release);
  } catch (error) {
    release();
    throw error;
  }
  return sseResponse(events, { abort: detach, requestSignal: request.signal });
});
