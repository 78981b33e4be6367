import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyThrottle, keyThrottle } from "@/server/auth/key-throttle";
import { openSession } from "@/server/auth/sessions";
import { openTempDb } from "@/server/db/testing/temp-db";
import { clearedSessionCookie, isAuthenticated, isPublicPath, sessionCookie } from "./session-auth";

describe("session auth", () => {
  const key = "s3cret";
  let db: ReturnType<typeof openTempDb>;
  beforeAll(() => {
    db = openTempDb();
    // Wrong bearer keys below wait in the shared throttle's line; keep its delays short.
    (globalThis as { __bitnetKeyThrottle?: KeyThrottle }).__bitnetKeyThrottle = new KeyThrottle({
      baseDelayMs: 1,
      maxDelayMs: 2,
      maxWaiting: 10,
      maxAddresses: 10,
      forgetAfterMs: 60_000,
    });
  });
  afterAll(() => {
    db.dispose();
    delete (globalThis as { __bitnetKeyThrottle?: KeyThrottle }).__bitnetKeyThrottle;
  });
  const auth = (headers: Record<string, string>) => isAuthenticated(new Headers(headers), key, () => db.store);

  it("lets everything through when no key is set", async () => {
    expect(await isAuthenticated(new Headers(), undefined, () => db.store)).toBe(true);
  });

  it("accepts a live session's cookie or the Bearer key, nothing else", async () => {
    const other = await openSession(db.store, "other key");
    const { token } = await openSession(db.store, key);
    expect(await auth({})).toBe(false);
    expect(await auth({ cookie: `a=b; bitnet_session=${token}` })).toBe(true);
    expect(await auth({ cookie: `bitnet_session=${other.token}` })).toBe(false);
    expect(await auth({ cookie: `bitnet_session=${key}` })).toBe(false);
    expect(await auth({ cookie: "bitnet_session=" })).toBe(false);
    expect(await auth({ authorization: `Bearer ${key}` })).toBe(true);
    expect(await auth({ authorization: "Bearer nope" })).toBe(false);
    expect(keyThrottle().failuresOf("unknown")).toBe(1);
  });

  it("puts a token, never the key, in an HttpOnly SameSite=Strict cookie (Secure behind TLS)", () => {
    const cookie = sessionCookie("tok3n", true);
    expect(cookie).toBe("bitnet_session=tok3n; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000; Secure");
    expect(sessionCookie("tok3n", false)).not.toContain("Secure");
    expect(clearedSessionCookie(false)).toMatch(/^bitnet_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/);
  });

  it("leaves only the sign-in page, its API, health and static assets public", () => {
    expect(["/sign-in", "/api/session", "/api/health", "/_next/static/x.js"].every(isPublicPath)).toBe(true);
    expect(["/", "/c/1", "/api/conversations", "/api/chat", "/sign-in/x", "/_next/data/x"].some(isPublicPath)).toBe(false);
  });
});
