import { RequestError } from "@/lib/api/request-error";
import { deleteUserQuerySchema, updateUserSchema } from "@/lib/schemas/users";
import { deleteUser, updateUser } from "@/server/auth/users";
import { getDb } from "@/server/db/client";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { requestAdmin } from "@/server/http/request-store";
import { toUserDto } from "@/server/http/user-dto";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

/** Admins only: change the role, disable or enable, set a new password (the last two end the account's sessions). */
export const PATCH = withErrors(async (request: Request, context: Context) => {
  await requestAdmin(request);
  const { id } = await context.params;
  const body = parseOrThrow(updateUserSchema, await readJsonBody(request, { maxBytes: 4_096 }));
  return jsonResponse({ user: toUserDto(await updateUser(getDb(), { id, ...body })) });
});

/** Admins only: deletes the account with its conversations and presets, or (`?keepData=1`) gives those to the admin deleting it. */
export const DELETE = withErrors(async (request: Request, context: Context) => {
  const admin = await requestAdmin(request);
  const { id } = await context.params;
  if (id === admin.id) throw new RequestError(409, "conflict", "You cannot delete your own account; another admin can.");
  const { keepData } = parseOrThrow(deleteUserQuerySchema, { keepData: new URL(request.url).searchParams.get("keepData") ?? undefined });
  await deleteUser(getDb(), { id, keepDataFor: keepData === "1" ? admin.id : undefined });
  return new Response(null, { status: 204 });
});
