/**
 * Issue 10 against the production server: DNS rebinding (foreign Host), cross-site writes (foreign Origin),
 * security headers.
 */
import { describe, expect, inject, it } from "vitest";
import { rawRequest } from "./support/raw-http";

describe("cross-site protection (production server)", () => {
  const baseUrl = inject("baseUrl");
  const port = new URL(baseUrl).port;

  it("refuses a rebinding Host with a JSON 403 on API routes and pages, and serves loopback names", async () => {
    for (const path of ["/api/conversations", "/", "/v1/models"]) {
      const response = await rawRequest(baseUrl, { path, headers: { Host: `evil.example:${port}` } });
      expect(response.status, path).toBe(403);
      expect(JSON.parse(response.body).error.code).toBe("host_not_allowed");
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await rawRequest(baseUrl, { path: "/api/conversations", headers: { Host: host } })).status).toBe(200);
    }
  });

  it("refuses POST, PATCH and DELETE from a foreign Origin before anything is written", async () => {
    const created = await fetch(`${baseUrl}/api/conversations`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ title: "keep me" }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const before = await (await fetch(`${baseUrl}/api/conversations`)).text();
    const foreign = { Host: `127.0.0.1:${port}`, Origin: "http://evil.example", "Content-Type": "application/json" };
    const attempts = [
      { method: "POST", path: "/api/conversations/import", body: "{}" },
      { method: "POST", path: "/api/chat", body: JSON.stringify({ content: "hi" }) },
      { method: "PATCH", path: `/api/conversations/${id}`, body: JSON.stringify({ title: "pwned" }) },
      { method: "DELETE", path: `/api/conversations/${id}` },
      { method: "POST", path: "/v1/chat/completions", body: "{}" },
    ];
    for (const attempt of attempts) {
      const response = await rawRequest(baseUrl, { ...attempt, headers: foreign });
      expect(response.status, `${attempt.method} ${attempt.path}`).toBe(403);
      expect(JSON.parse(response.body).error.code).toBe("origin_not_allowed");
    }
    expect(await (await fetch(`${baseUrl}/api/conversations`)).text()).toBe(before);
    // The app's own origin still works.
    const own = await rawRequest(baseUrl, { method: "PATCH", path: `/api/conversations/${id}`, headers: { ...foreign, Origin: baseUrl }, body: "{}" });
    expect(own.status).not.toBe(403);
  });

  it("sends nosniff, no-referrer and an anti-framing CSP on pages and API answers", async () => {
    for (const path of ["/", "/api/health"]) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(response.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
    }
    const refused = await rawRequest(baseUrl, { path: "/", headers: { Host: "evil.example" } });
    expect(refused.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("sends no CORS headers to foreign origins", async () => {
    const response = await fetch(`${baseUrl}/v1/models`, { headers: { Origin: "http://evil.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
