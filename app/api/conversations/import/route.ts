import { conversationExportSchema } from "@/lib/schemas/conversations";
import { importConversation } from "@/server/chat/import-conversation";
import { getDb } from "@/server/db/client";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const MAX_IMPORT_BYTES = 20_000_000;

/** Body: a JSON export (`format: "bitnet-chat/conversation@1"`). Answers 201 `{ conversation }` with new ids. */
export const POST = withErrors(async (request: Request) => {
  const data = parseOrThrow(conversationExportSchema, await readJsonBody(request, { maxBytes: MAX_IMPORT_BYTES }));
  return jsonResponse({ conversation: importConversation(getDb(), { data }) }, { status: 201 });
});
