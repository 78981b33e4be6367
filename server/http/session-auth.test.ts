import { describe, expect, it } from "vitest";
import { isAuthenticated, isPublicPath, safeNextPath, sessionCookie, sessionToken } from "./session-auth";

describe("session auth", () => {
  const key = "s3cret";
  it("lets everything through when no key is set", () => {
    expect(isAuthenticated(new Headers(), undefined)).toBe(true);
  });

  it("accepts the session cookie or the Bearer key, nothing else", () => {
    expect(isAuthenticated(new Headers(), key)).toBe(false);
    expect(isAuthenticated(new Headers({ cookie: `a=b; bitnet_session=${sessionToken(key)}` }), key)).toBe(true);
    expect(isAuthenticated(new Headers({ cookie: `bitnet_session=${sessionToken("other")}` }), key)).toBe(false);
    expect(isAuthenticated(new Headers({ cookie: `bitnet_session=${key}` }), key)).toBe(false);
    expect(isAuthenticated(new Headers({ authorization: `Bearer ${key}` }), key)).toBe(true);
    expect(isAuthenticated(new Headers({ authorization: "Bearer nope" }), key)).toBe(false);
  });

  it("keeps the key out of the cookie, which is HttpOnly and SameSite=Strict", () => {
    const cookie = sessionCookie(key, true);
    expect(cookie).not.toContain(key);
    expect(cookie).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
    expect(sessionCookie(key, false)).not.toContain("Secure");
  });

  it("only ever redirects to a path on this site", () => {
    expect(safeNextPath("/c/1?x=2")).toBe("/c/1?x=2");
    for (const bad of ["//evil.example", "https://evil.example", "/\\evil.example", "", null, undefined]) expect(safeNextPath(bad)).toBe("/");
  });

  it("leaves only the sign-in page, its API, health and static assets public", () => {
    expect(["/sign-in", "/api/session", "/api/health", "/_next/static/x.js"].every(isPublicPath)).toBe(true);
    expect(["/", "/c/1", "/api/conversations", "/api/chat", "/sign-in/x", "/_next/data/x"].some(isPublicPath)).toBe(false);
  });
});
