import { RequestError } from "@/lib/api/request-error";
import { signInSchema } from "@/lib/schemas/session";
import { withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { clearedSessionCookie, sameSecret, sessionCookie } from "@/server/http/session-auth";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A wrong key costs the caller this long, so guessing keys over HTTP is slow. */
const FAILED_SIGN_IN_DELAY_MS = 500;

/** Sign in: `{ key }` → 204 with the HttpOnly session cookie, or 401. */
export const POST = withErrors(async (request: Request) => {
  const { key } = parseOrThrow(signInSchema, await readJsonBody(request, { maxBytes: 4_096 }));
  const apiKey = process.env.BITNET_API_KEY;
  if (!apiKey) throw new RequestError(400, "invalid_request", "This server has no access key (BITNET_API_KEY is not set): nothing to sign in to.");
  if (!sameSecret(key, apiKey)) {
    await new Promise((resolve) => setTimeout(resolve, FAILED_SIGN_IN_DELAY_MS));
    return Response.json({ error: { code: "unauthorized", message: "That is not this server's access key.", field: "key" } }, { status: 401 });
  }
  const secure = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  return new Response(null, { status: 204, headers: { "Set-Cookie": sessionCookie(apiKey, secure), "Cache-Control": "no-store" } });
});

/** Sign out. */
export const DELETE = withErrors(async () => new Response(null, { status: 204, headers: { "Set-Cookie": clearedSessionCookie() } }));
