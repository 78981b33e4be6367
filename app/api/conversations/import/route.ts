import { importBodySchema } from "@/lib/schemas/conversations";
import { importBundle, importConversation } from "@/server/chat/import-conversation";
import { requestStore } from "@/server/http/request-store";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const MAX_IMPORT_BYTES = 20_000_000;

/**
 * Body: a JSON export — one conversation (`format: "bitnet-chat/conversation@1"`), answered 201
 * `{ conversation }`, or all of them (`"bitnet-chat/conversations@1"`), answered 201 `{ conversations }`.
 * New ids either way; a bundle imports all or nothing.
 */
export const POST = withErrors(async (request: Request) => {
  const data = parseOrThrow(importBodySchema, await readJsonBody(request, { maxBytes: MAX_IMPORT_BYTES }));
  if (data.format === "bitnet-chat/conversations@1") {
    return jsonResponse({ conversations: await importBundle(await requestStore(request), { data }) }, { status: 201 });
  }
  return jsonResponse({ conversation: await importConversation(await requestStore(request), { data }) }, { status: 201 });
});
