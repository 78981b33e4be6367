/**
 * Issue 10 against the production server: DNS rebinding (foreign Host), cross-site writes (foreign Origin),
 * security headers — over raw HTTP, and as an attacker's page in Chromium.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, inject, it } from "vitest";
import type { ConversationSummaryDto } from "@/lib/schemas/conversations";
import { launchBrowser } from "./support/browser";
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

  it("in Chromium, an attacker's page on a name re-pointed at 127.0.0.1 can neither read nor write", async () => {
    // The attacker's own site, also on evil.example (another port): where a cross-site attack starts from.
    const attacker = http.createServer((_, response) => response.writeHead(200, { "Content-Type": "text/html" }).end("<title>evil</title>"));
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    const attackerPort = (attacker.address() as AddressInfo).port;
    const browser = await launchBrowser(["--host-resolver-rules=MAP evil.example 127.0.0.1"]);
    const titles = async () =>
      ((await (await fetch(`${baseUrl}/api/conversations`)).json()) as { conversations: ConversationSummaryDto[] }).conversations.map((c) => c.title);
    try {
      const page = await browser.newPage();
      // DNS rebinding: the page's own origin is evil.example:<app port>, so its requests are "same-origin".
      const served = await page.goto(`http://evil.example:${port}/`);
      expect(served?.status()).toBe(403);
      const rebound = await page.evaluate(async () => {
        const list = await fetch("/api/conversations");
        const create = await fetch("/api/chat", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ content: "rebound-probe" }) });
        return { list: list.status, listBody: await list.text(), create: create.status };
      });
      expect(rebound).toMatchObject({ list: 403, create: 403 });
      expect(rebound.listBody).toContain("host_not_allowed");

      // Cross-site: "simple" requests (no preflight) from the attacker's site straight to 127.0.0.1.
      await page.goto(`http://evil.example:${attackerPort}/`);
      const crossSite = await page.evaluate(async (app) => {
        const simple = (path: string, body: string) =>
          fetch(`${app}${path}`, { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body }).then(() => "sent", () => "failed");
        await simple("/api/chat", JSON.stringify({ content: "csrf-probe" }));
        await simple("/api/conversations/import", JSON.stringify({ format: "bitnet-chat/conversation@1", title: "csrf-import", createdAt: "", updatedAt: "", params: {}, messages: [] }));
        const read = await fetch(`${app}/api/conversations`).then((r) => r.text(), () => "blocked");
        return { read };
      }, baseUrl);
      expect(crossSite.read).toBe("blocked"); // no CORS headers: the answer never reaches the page
      const after = await titles();
      expect(after.some((t) => /rebound-probe|csrf-probe|csrf-import/.test(t)), JSON.stringify(after)).toBe(false);
    } finally {
      await browser.close();
      await new Promise((resolve) => attacker.close(resolve));
    }
  });
});
