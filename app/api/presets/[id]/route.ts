import { notFound } from "@/lib/api/request-error";
import { deletePreset } from "@/server/chat/presets";
import { requestStore } from "@/server/http/request-store";
import { withErrors } from "@/server/http/json-response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = withErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = await context.params;
  if (!id || id.length > 64) throw notFound("Preset", "id");
  await deletePreset(await requestStore(request), { id });
  return new Response(null, { status: 204 });
});
