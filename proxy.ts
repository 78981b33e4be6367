/**
 * Runs before every route: the Host/Origin checks and `/v1` CORS of `server/http/request-guard.ts`.
 * Refusals are JSON in the API's error shape, with the security headers (next.config's `headers()` does
 * not reach responses produced here).
 */
import { NextResponse, type NextRequest } from "next/server";
import { checkRequest, corsHeaders, guardConfigFromEnv } from "@/server/http/request-guard";
import { SECURITY_HEADERS } from "@/server/http/security-headers";

const guardConfig = guardConfigFromEnv();

function refuse(status: number, code: string, message: string): NextResponse {
  const response = NextResponse.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store" } });
  for (const { key, value } of SECURITY_HEADERS) response.headers.set(key, value);
  return response;
}

export function proxy(request: NextRequest): NextResponse {
  const { pathname } = request.nextUrl;
  const verdict = checkRequest({ method: request.method, pathname, headers: request.headers }, guardConfig);
  if (!verdict.allow) return refuse(verdict.status, verdict.code, verdict.message);
  if (verdict.corsOrigin !== null && request.method === "OPTIONS") {
    return new NextResponse(null, { status: 204, headers: corsHeaders(verdict.corsOrigin, true) });
  }
  const response = NextResponse.next();
  if (verdict.corsOrigin !== null) {
    for (const [key, value] of Object.entries(corsHeaders(verdict.corsOrigin, false))) response.headers.set(key, value);
  }
  return response;
}
