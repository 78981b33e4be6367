import { createConversationSchema, listConversationsQuerySchema } from "@/lib/schemas/conversations";
import { answerRegistry } from "@/server/chat/answer-registry";
import { createConversation, listConversations } from "@/server/chat/conversations";
import { requestStore } from "@/server/http/request-store";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `?q=` searches titles and messages (FTS5); newest first either way; `answering` marks running answers. */
export const GET = withErrors(async (request: Request) => {
  const search = new URL(request.url).searchParams;
  const query = parseOrThrow(listConversationsQuerySchema, {
    q: search.get("q") ?? undefined,
    limit: search.get("limit") ?? undefined,
  });
  return jsonResponse({ conversations: await listConversations(await requestStore(request), { ...query, isAnswering: await answerRegistry().answering() }) });
});

export const POST = withErrors(async (request: Request) => {
  const body = parseOrThrow(createConversationSchema, await readJsonBody(request));
  return jsonResponse(await createConversation(await requestStore(request), body), { status: 201 });
});
