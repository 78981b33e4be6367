import { exportFormatSchema } from "@/lib/schemas/conversations";
import { exportConversation } from "@/server/chat/export-conversation";
import { requestStore } from "@/server/http/request-store";
import { withErrors } from "@/server/http/json-response";
import { conversationIdFrom } from "@/server/http/route-id";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const id = await conversationIdFrom(context.params);
  const { format } = parseOrThrow(exportFormatSchema, { format: new URL(request.url).searchParams.get("format") ?? undefined });
  const file = await exportConversation(await requestStore(request), { id, format });
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
