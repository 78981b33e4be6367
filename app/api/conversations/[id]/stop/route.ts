import { answerRegistry } from "@/server/chat/answer-registry";
import { stopAnswer } from "@/server/chat/answer-control";
import { requestStore } from "@/server/http/request-store";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { conversationIdFrom } from "@/server/http/route-id";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

/** Stops the conversation's running or queued answer: 200 with how it was saved once it is, 204 when nothing runs. */
export const POST = withErrors(async (request: Request, context: Context) => {
  const stopped = await stopAnswer(await requestStore(request), { registry: answerRegistry(), id: await conversationIdFrom(context.params) });
  return stopped ? jsonResponse(stopped) : new Response(null, { status: 204 });
});
