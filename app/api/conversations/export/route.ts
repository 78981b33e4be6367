import { exportAllConversations } from "@/server/chat/export-conversation";
import { requestStore } from "@/server/http/request-store";
import { withErrors } from "@/server/http/json-response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Every conversation as one JSON file (`format: "bitnet-chat/conversations@1"`), which import accepts. */
export const GET = withErrors(async (request: Request) => {
  const file = await exportAllConversations(await requestStore(request));
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
