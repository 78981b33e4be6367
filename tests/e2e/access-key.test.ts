/**
 * Issue 10 finding 4: with BITNET_API_KEY set, pages and /api/* need it too. The browser signs in once on
 * a small page and gets an HttpOnly, SameSite=Strict session cookie; scripts may send the Bearer key.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "./support/app-server";
import { launchBrowser } from "./support/browser";

const KEY = "correct horse battery staple";

describe("one access key for everything (production server)", () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startAppServer({ BITNET_MODEL: inject("tinyOnnx"), BITNET_API_KEY: KEY }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("refuses /api/* without the key (401) and accepts the Bearer key", async () => {
    for (const path of ["/api/conversations", "/api/model"]) {
      const refused = await fetch(`${server.baseUrl}${path}`);
      expect(refused.status, path).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    }
    const deleted = await fetch(`${server.baseUrl}/api/conversations/anything`, { method: "DELETE" });
    expect(deleted.status).toBe(401);
    const ok = await fetch(`${server.baseUrl}/api/conversations`, { headers: { Authorization: `Bearer ${KEY}` } });
    expect(ok.status).toBe(200);
    expect((await fetch(`${server.baseUrl}/v1/models`)).status).toBe(401);
  });

  it("sends pages to the sign-in page, and gives an HttpOnly SameSite=Strict cookie for the right key only", async () => {
    const page = await fetch(`${server.baseUrl}/c/some-id?x=1`, { redirect: "manual" });
    expect(page.status).toBe(303);
    const location = new URL(page.headers.get("location")!, server.baseUrl);
    expect(location.origin + location.pathname + location.search).toBe(`${server.baseUrl}/sign-in?next=${encodeURIComponent("/c/some-id?x=1")}`);

    const wrong = await fetch(`${server.baseUrl}/api/session`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ key: "guess" }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const right = await fetch(`${server.baseUrl}/api/session`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ key: KEY }) });
    expect(right.status).toBe(204);
    const cookie = right.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toContain(encodeURIComponent(KEY));
    const withCookie = await fetch(`${server.baseUrl}/api/conversations`, { headers: { Cookie: cookie.split(";")[0]! } });
    expect(withCookie.status).toBe(200);
  });

  it("the UI signs in with the key and opens the app", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl);
      await page.waitForURL(/\/sign-in\?next=%2F$/);
      const keyField = page.getByLabel("Access key");
      await keyField.fill("not the key");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").filter({ hasText: "not this server's access key" }).waitFor();

      await keyField.fill(KEY);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${server.baseUrl}/`);
      await page.getByRole("textbox", { name: "Message", exact: true }).waitFor();
      const status = await page.evaluate(async () => (await fetch("/api/conversations")).status);
      expect(status).toBe(200);
      const cookies = await context.cookies();
      expect(cookies.find((c) => c.name === "bitnet_session")).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    } finally {
      await context.close();
    }
  });
});
