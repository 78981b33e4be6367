import { notFound } from "@/lib/api/request-error";
import { getDb } from "@/server/db/client";
import { withErrors } from "@/server/http/json-response";
import { requestAccount } from "@/server/http/request-store";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Revokes one of the signed-in account's keys: `/v1` refuses it from the next request; another account's key id is a 404. */
export const DELETE = withErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requestAccount(request);
  const { id } = await context.params;
  if (!(await getDb().apiKeys.deleteApiKey({ id, userId: user.id }))) throw notFound("API key", "id");
  return new Response(null, { status: 204 });
});
