import { messageTokensParamsSchema } from "@/lib/schemas/tokens";
import { getMessageTokens } from "@/server/chat/message-tokens";
import { requestStore } from "@/server/http/request-store";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string; messageId: string }>;
}

/** An answer's token records for the token view (not part of the conversation's GET: they are large). */
export const GET = withErrors(async (request: Request, context: Context) => {
  const { id, messageId } = parseOrThrow(messageTokensParamsSchema, await context.params);
  return jsonResponse(await getMessageTokens(await requestStore(request), { conversationId: id, messageId }));
});
