import { RequestError } from "@/lib/api/request-error";
import { passwordSignInSchema, signInSchema, type SessionInfo } from "@/lib/schemas/session";
import { authModeFromEnv } from "@/server/auth/auth-mode";
import { checkKey } from "@/server/auth/check-key";
import { closeSession, openSession, openUserSession } from "@/server/auth/sessions";
import { authenticate } from "@/server/auth/users";
import { getDb } from "@/server/db/client";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { clearedSessionCookie, isSecureRequest, sessionCookie, sessionTokenOf, signedInUser } from "@/server/http/session-auth";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Whether this server asks for an access key or for accounts (public, like the sign-in page: the redirect
 * tells as much), and with accounts who is signed in.
 */
export const GET = withErrors(async (request: Request) => {
  const accounts = authModeFromEnv() === "accounts";
  const user = accounts ? await signedInUser(request.headers, getDb()) : undefined;
  return jsonResponse({
    accessKey: !accounts && Boolean(process.env.BITNET_API_KEY),
    accounts,
    user: user ? { id: user.id, name: user.name, role: user.role } : null,
  } satisfies SessionInfo);
});

function signedIn(request: Request, token: string): Response {
  return new Response(null, { status: 204, headers: { "Set-Cookie": sessionCookie(token, isSecureRequest(request)), "Cache-Control": "no-store" } });
}

/**
 * Sign in: `{ key }` (or with accounts `{ username, password }`) → 204 with the HttpOnly session cookie, or
 * 401 (after the address's growing delay, server/auth/key-throttle.ts; with accounts the same delay and the
 * same answer whether the name is unknown, the password wrong or the account disabled), or 429 when too many
 * attempts of this address are already waiting.
 */
export const POST = withErrors(async (request: Request) => {
  const body = await readJsonBody(request, { maxBytes: 4_096 });
  if (authModeFromEnv() === "accounts") {
    const { username, password } = parseOrThrow(passwordSignInSchema, body);
    const user = await authenticate(getDb(), request.headers, { name: username, password });
    if (!user) return Response.json({ error: { code: "unauthorized", message: "Wrong user name or password." } }, { status: 401 });
    return signedIn(request, (await openUserSession(getDb(), user.id)).token);
  }
  const { key } = parseOrThrow(signInSchema, body);
  const apiKey = process.env.BITNET_API_KEY;
  if (!apiKey) throw new RequestError(400, "invalid_request", "This server has no access key (BITNET_API_KEY is not set): nothing to sign in to.");
  if (!(await checkKey(request.headers, key, apiKey))) {
    return Response.json({ error: { code: "unauthorized", message: "That is not this server's access key.", field: "key" } }, { status: 401 });
  }
  const { token } = await openSession(getDb(), apiKey);
  return signedIn(request, token);
});

/** Sign out: the session is deleted on the server (the cookie stops working wherever it was copied) and the cookie cleared. */
export const DELETE = withErrors(async (request: Request) => {
  const token = sessionTokenOf(request.headers);
  if (token !== undefined) await closeSession(getDb(), token);
  return new Response(null, { status: 204, headers: { "Set-Cookie": clearedSessionCookie(isSecureRequest(request)), "Cache-Control": "no-store" } });
});
