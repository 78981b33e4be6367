/**
 * Runs before every route: the Host/Origin checks and `/v1` CORS of `server/http/request-guard.ts`, then,
 * with BITNET_API_KEY set, the session check for pages and `/api/*` (`server/http/session-auth.ts`).
 * Refusals are JSON in the API's error shape, with the security headers (next.config's `headers()` does
 * not reach responses produced here).
 */
import { NextResponse, type NextRequest } from "next/server";
import { checkRequest, corsHeaders, guardConfigFromEnv, isOpenAIPath } from "@/server/http/request-guard";
import { isAuthenticated, isPublicPath } from "@/server/http/session-auth";
import { SECURITY_HEADERS } from "@/server/http/security-headers";
import { isShuttingDown } from "@/server/lifecycle/in-flight";

const guardConfig = guardConfigFromEnv();
/** `/v1` checks its Bearer key itself (answering in OpenAI's error shape); everything else is checked here. */
const apiKey = process.env.BITNET_API_KEY || undefined;

function refuse(status: number, code: string, message: string): NextResponse {
  const response = NextResponse.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store" } });
  for (const { key, value } of SECURITY_HEADERS) response.headers.set(key, value);
  return response;
}

export function proxy(request: NextRequest): NextResponse {
  const { pathname } = request.nextUrl;
  if (isShuttingDown()) return refuse(503, "shutting_down", "The server is shutting down.");
  const verdict = checkRequest({ method: request.method, pathname, headers: request.headers }, guardConfig);
  if (!verdict.allow) return refuse(verdict.status, verdict.code, verdict.message);
  if (verdict.corsOrigin !== null && request.method === "OPTIONS") {
    return new NextResponse(null, { status: 204, headers: corsHeaders(verdict.corsOrigin, true) });
  }
  if (apiKey && !isOpenAIPath(pathname) && !isPublicPath(pathname) && !isAuthenticated(request.headers, apiKey)) {
    if (pathname.startsWith("/api/")) {
      return refuse(401, "unauthorized", "This server needs its access key: sign in at /sign-in, or send Authorization: Bearer <key>.");
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
