import { createUserSchema } from "@/lib/schemas/users";
import { createUser } from "@/server/auth/users";
import { getDb } from "@/server/db/client";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { requestAdmin } from "@/server/http/request-store";
import { toUserDto } from "@/server/http/user-dto";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Admins only (BITNET_AUTH=accounts): every account, in creation order. */
export const GET = withErrors(async (request: Request) => {
  await requestAdmin(request);
  return jsonResponse({ users: (await getDb().users.listUsers()).map(toUserDto) });
});

export const POST = withErrors(async (request: Request) => {
  await requestAdmin(request);
  const body = parseOrThrow(createUserSchema, await readJsonBody(request, { maxBytes: 4_096 }));
  return jsonResponse({ user: toUserDto(await createUser(getDb(), body)) }, { status: 201 });
});
