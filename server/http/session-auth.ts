/**
 * `BITNET_API_KEY` for the whole app: the browser signs in once with the key and gets an HttpOnly,
 * SameSite=Strict session cookie; scripts may send `Authorization: Bearer <key>` instead. The cookie holds
 * an HMAC of the key, not the key: it survives restarts, and changing the key signs everyone out.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "bitnet_session";
/** 30 days: this is a personal or small-team server, not a bank. */
export const SESSION_MAX_AGE_S = 30 * 24 * 3600;

export function sessionToken(apiKey: string): string {
  return createHmac("sha256", apiKey).update("bitnet-chat session v1").digest("base64url");
}

/** Equal-length digests first, so neither timing nor an early length check tells how close a guess was. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

function cookieValue(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** True when no key is configured, or the request carries the session cookie or the bearer key. */
export function isAuthenticated(headers: Headers, apiKey: string | undefined): boolean {
  if (!apiKey) return true;
  const cookie = cookieValue(headers.get("cookie"), SESSION_COOKIE);
  if (cookie !== undefined && sameSecret(cookie, sessionToken(apiKey))) return true;
  const bearer = /^Bearer\s+(.+)$/i.exec((headers.get("authorization") ?? "").trim());
  return bearer !== null && sameSecret(bearer[1]!.trim(), apiKey);
}

/** Reachable without signing in: the sign-in page and its API, static assets, liveness. */
export function isPublicPath(pathname: string): boolean {
  return (
    pathname === "/sign-in" ||
    pathname === "/api/session" ||
    pathname === "/api/health" ||
    pathname === "/icon.svg" ||
    pathname === "/favicon.ico" ||
    pathname.startsWith("/_next/static/")
  );
}

/** Where to go after signing in: only a path on this site (no `//evil.example`, no scheme). */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}

export function sessionCookie(apiKey: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${sessionToken(apiKey)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MAX_AGE_S}${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
