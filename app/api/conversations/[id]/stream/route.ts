import { answerRegistry } from "@/server/chat/answer-registry";
import { followAnswer } from "@/server/chat/answer-control";
import { requestStore } from "@/server/http/request-store";
import { withErrors } from "@/server/http/json-response";
import { conversationIdFrom } from "@/server/http/route-id";
import { sseResponse } from "@/server/http/sse-response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

/**
 * Re-attaches to the conversation's running answer: a `snapshot` event, then the same events as
 * `/api/chat`. 204 when nothing runs. Closing this stream only detaches.
 */
export const GET = withErrors(async (request: Request, context: Context) => {
  const detach = new AbortController();
  const events = await followAnswer(await requestStore(request), { registry: answerRegistry(), id: await conversationIdFrom(context.params), signal: detach.signal });
  if (!events) return new Response(null, { status: 204 });
  return sseResponse(events, { abort: detach, requestSignal: request.signal });
});
