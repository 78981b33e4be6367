/**
 * Runs before every route: the Host/Origin checks and `/v1` CORS of `server/http/request-guard.ts`, then,
 * with BITNET_API_KEY set or BITNET_AUTH=accounts, the session check for pages and `/api/*`
 * (`server/http/session-auth.ts`; with accounts the route handlers check the account again, server/http/request-store.ts).
 * Refusals are JSON in the API's error shape, with the security headers (next.config's `headers()` does
 * not reach responses produced here).
 */
import { NextResponse, type NextRequest } from "next/server";
import { checkRequest, corsHeaders, guardConfigFromEnv, isOpenAIPath } from "@/server/http/request-guard";
import { authModeFromEnv } from "@/server/auth/auth-mode";
import { isTooManyAttempts } from "@/server/auth/key-throttle";
import { getDb } from "@/server/db/connection";
import { isAuthenticated, isPublicPath } from "@/server/http/session-auth";
import { SECURITY_HEADERS } from "@/server/http/security-headers";
import { isShuttingDown } from "@/server/lifecycle/in-flight";

const guardConfig = guardConfigFromEnv();
/** `/v1` checks its Bearer key itself (answering in OpenAI's error shape); everything else is checked here. */
const apiKey = process.env.BITNET_API_KEY || undefined;
const authMode = authModeFromEnv();

function refuse(status: number, code: string, message: string, headers: Record<string, string> = {}): NextResponse {
  const response = NextResponse.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store", ...headers } });
  for (const { key, value } of SECURITY_HEADERS) response.headers.set(key, value);
  return response;
}

/** The session/bearer check, or the refusal it ends in when the throttle or the database says no. */
async function authenticated(request: NextRequest): Promise<boolean | NextResponse> {
  try {
    return await isAuthenticated(request.headers, apiKey, getDb, authMode);
  } catch (error) {
    if (isTooManyAttempts(error)) return refuse(429, "too_many_attempts", error.message, { "Retry-After": String(error.retryAfterS) });
    // By name: the store on globalThis may have been opened by a route handler's bundle, with its own copy of the class.
    if (error instanceof Error && error.name === "DatabaseUnreachableError") {
      return refuse(503, "database_unreachable", error.message, { "Retry-After": "5" });
    }
    throw error;
  }
}

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  if (isShuttingDown()) return refuse(503, "shutting_down", "The server is shutting down.");
  const verdict = checkRequest({ method: request.method, pathname, headers: request.headers }, guardConfig);
  if (!verdict.allow) return refuse(verdict.status, verdict.code, verdict.message);
  if (verdict.corsOrigin !== null && request.method === "OPTIONS") {
    return new NextResponse(null, { status: 204, headers: corsHeaders(verdict.corsOrigin, true) });
  }
  const signedIn = authMode !== "open" && !isOpenAIPath(pathname) && !isPublicPath(pathname) ? await authenticated(request) : true;
  if (signedIn instanceof NextResponse) return signedIn;
  if (!signedIn) {
    if (pathname.startsWith("/api/")) {
      const how = authMode === "accounts" ? "sign in at /sign-in with your user name and password." : "sign in at /sign-in, or send Authorization: Bearer <key>.";
      return refuse(401, "unauthorized", `This server needs ${authMode === "accounts" ? "an account" : "its access key"}: ${how}`);
    }
    // Next wants an absolute Location; request.url names the listening address, which behind a reverse proxy
    // is not the one the browser used, so the (allowlisted) Host header is used instead.
    const proto = request.headers.get("x-forwarded-proto") === "https" ? "https" : "http";
    const location = new URL(`/sign-in?next=${encodeURIComponent(pathname + request.nextUrl.search)}`, `${proto}://${request.headers.get("host")}`);
    return NextResponse.redirect(location, { status: 303, headers: { "Cache-Control": "no-store" } });
  }
  const response = NextResponse.next();
  if (verdict.corsOrigin !== null) {
    for (const [key, value] of Object.entries(corsHeaders(verdict.corsOrigin, false))) response.headers.set(key, value);
  }
  return response;
}
