import { updateConversationSchema } from "@/lib/schemas/conversations";
import { answerRegistry } from "@/server/chat/answer-registry";
import { deleteConversation, getConversation, updateConversation } from "@/server/chat/conversations";
import { requestStore } from "@/server/http/request-store";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { conversationIdFrom } from "@/server/http/route-id";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

export const GET = withErrors(async (request: Request, context: Context) => {
  return jsonResponse(await getConversation(await requestStore(request), { id: await conversationIdFrom(context.params), isAnswering: await answerRegistry().answering() }));
});

/** Rename and/or change the stored settings. */
export const PATCH = withErrors(async (request: Request, context: Context) => {
  const id = await conversationIdFrom(context.params);
  const body = parseOrThrow(updateConversationSchema, await readJsonBody(request));
  return jsonResponse(await updateConversation(await requestStore(request), { id, ...body }));
});

/** Also stops the conversation's running answer. */
export const DELETE = withErrors(async (request: Request, context: Context) => {
  await deleteConversation(await requestStore(request), { id: await conversationIdFrom(context.params), registry: answerRegistry() });
  return new Response(null, { status: 204 });
});
