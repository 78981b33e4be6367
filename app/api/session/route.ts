import { RequestError } from "@/lib/api/request-error";
import { signInSchema, type SessionInfo } from "@/lib/schemas/session";
import { checkKey } from "@/server/auth/check-key";
import { closeSession, openSession } from "@/server/auth/sessions";
import { getDb } from "@/server/db/client";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { clearedSessionCookie, isSecureRequest, sessionCookie, sessionTokenOf } from "@/server/http/session-auth";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Whether this server asks for an access key (public, like the sign-in page: the redirect tells as much). */
export const GET = withErrors(async () => jsonResponse({ accessKey: Boolean(process.env.BITNET_API_KEY) } satisfies SessionInfo));

/**
 * Sign in: `{ key }` → 204 with the HttpOnly session cookie, or 401 (after the address's growing delay,
 * server/auth/key-throttle.ts), or 429 when too many attempts of this address are already waiting.
 */
export const POST = withErrors(async (request: Request) => {
  const { key } = parseOrThrow(signInSchema, await readJsonBody(request, { maxBytes: 4_096 }));
  const apiKey = process.env.BITNET_API_KEY;
  if (!apiKey) throw new RequestError(400, "invalid_request", "This server has no access key (BITNET_API_KEY is not set): nothing to sign in to.");
  if (!(await checkKey(request.headers, key, apiKey))) {
    return Response.json({ error: { code: "unauthorized", message: "That is not this server's access key.", field: "key" } }, { status: 401 });
  }
  const { token } = await openSession(getDb(), apiKey);
  return new Response(null, { status: 204, headers: { "Set-Cookie": sessionCookie(token, isSecureRequest(request)), "Cache-Control": "no-store" } });
});

/** Sign out: the session is deleted on the server (the cookie stops working wherever it was copied) and the cookie cleared. */
export const DELETE = withErrors(async (request: Request) => {
  const token = sessionTokenOf(request.headers);
  if (token !== undefined) await closeSession(getDb(), token);
  return new Response(null, { status: 204, headers: { "Set-Cookie": clearedSessionCookie(isSecureRequest(request)), "Cache-Control": "no-store" } });
});
