/**
 * `BITNET_API_KEY` for the whole app: the browser signs in once with the key and gets an HttpOnly,
 * SameSite=Strict cookie holding a random session token (server/auth/sessions.ts); scripts may send
 * `Authorization: Bearer <key>` instead, checked through the per-address throttle (server/auth/check-key.ts).
 */
import type { AuthMode } from "@/server/auth/auth-mode";
import { bearerKey, checkKey } from "@/server/auth/check-key";
import { isValidSession, SESSION_LIFETIME_MS, sessionUser } from "@/server/auth/sessions";
import { trustedProxyUserName } from "@/server/auth/trusted-proxy";
import { normalizeUsername } from "@/server/auth/users";
import type { UserRow } from "@/server/db/schema";
import type { Store } from "@/server/db/store";

export const SESSION_COOKIE = "bitnet_session";

function cookieValue(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The session token the request's cookie carries, if any. */
export function sessionTokenOf(headers: Headers): string | undefined {
  return cookieValue(headers.get("cookie"), SESSION_COOKIE);
}

/**
 * True when no key is configured, or the request carries a live session's cookie or the bearer key. A
 * bearer key waits in its address's line (and may throw TooManyAttemptsError); a cookie does not: a session
 * token cannot be guessed.
 */
export async function isAuthenticated(headers: Headers, apiKey: string | undefined, store: () => Store, mode: AuthMode = apiKey ? "key" : "open"): Promise<boolean> {
  if (mode === "accounts") return (await signedInUser(headers, store())) !== undefined;
  if (!apiKey) return true;
  const token = sessionTokenOf(headers);
  if (token !== undefined && (await isValidSession(store(), token, apiKey))) return true;
  const bearer = bearerKey(headers);
  return bearer !== null && (await checkKey(headers, bearer, apiKey));
}

/**
 * With accounts (BITNET_AUTH=accounts): the account a trusted proxy names (server/auth/trusted-proxy.ts),
 * else the one the request's session cookie signs in, if any. A disabled or unknown account is nobody.
 */
export async function signedInUser(headers: Headers, store: Store): Promise<UserRow | undefined> {
  const proxied = trustedProxyUserName(headers);
  if (proxied !== null) {
    const user = await store.users.getUserByName({ name: normalizeUsername(proxied) });
    return user && !user.disabled ? user : undefined;
  }
  const token = sessionTokenOf(headers);
  return token === undefined ? undefined : sessionUser(store, token);
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

/** Served over TLS: directly, or behind a reverse proxy that says so (docs/security.md, case 3). */
export function isSecureRequest(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
}

export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_LIFETIME_MS / 1000}${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? "; Secure" : ""}`;
}
