import { importBundle, importConversation } from "@/server/chat/import-conversation";
import { loadedVocabSize } from "@/server/host/loaded-vocab";
import { getModelHost } from "@/server/host/model-host";
import { jsonResponse, slicedJsonResponse, withErrors } from "@/server/http/json-response";
import { parseImportBody } from "@/server/http/import-body";
import { requestStore } from "@/server/http/request-store";
import { readJsonBody } from "@/server/http/read-json";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const MAX_IMPORT_BYTES = 20_000_000;

/**
 * Body: a JSON export — one conversation (`format: "bitnet-chat/conversation@1"`), answered 201
 * `{ conversation }`, or all of them (`"bitnet-chat/conversations@1"`), answered 201 `{ conversations }`.
 * New ids either way; a bundle imports all or nothing.
 */
export const POST = withErrors(async (request: Request) => {
  const data = await parseImportBody(await readJsonBody(request, { maxBytes: MAX_IMPORT_BYTES }));
  const vocabSize = loadedVocabSize(getModelHost());
  if (data.format === "bitnet-chat/conversations@1") {
    return slicedJsonResponse("conversations", await importBundle(await requestStore(request), { data, vocabSize }), { status: 201 });
  }
  return jsonResponse({ conversation: await importConversation(await requestStore(request), { data, vocabSize }) }, { status: 201 });
});
