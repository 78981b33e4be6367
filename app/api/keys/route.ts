import { createApiKeySchema, type ApiKeyDto, type CreatedApiKeyDto } from "@/lib/schemas/api-keys";
import { createApiKey } from "@/server/auth/api-keys";
import { getDb } from "@/server/db/client";
import type { ApiKeyRow } from "@/server/db/schema";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { requestAccount } from "@/server/http/request-store";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const toDto = (row: ApiKeyRow): ApiKeyDto => ({ id: row.id, name: row.name, createdAt: row.createdAt.toISOString() });

/** The signed-in account's `/v1` keys (names and dates; the keys themselves are not kept). */
export const GET = withErrors(async (request: Request) => {
  const user = await requestAccount(request);
  return jsonResponse({ keys: (await getDb().apiKeys.listApiKeys({ userId: user.id })).map(toDto) });
});

/** A new key, in the answer this once. */
export const POST = withErrors(async (request: Request) => {
  const user = await requestAccount(request);
  const { name } = parseOrThrow(createApiKeySchema, await readJsonBody(request, { maxBytes: 4_096 }));
  const { key, row } = await createApiKey(getDb(), { userId: user.id, name });
  return jsonResponse({ ...toDto(row), key } satisfies CreatedApiKeyDto, { status: 201, headers: { "Cache-Control": "no-store" } });
});
