/**
 * Issue 23 §1 on the production build: BITNET_AUTH=accounts. Accounts made with `bitnet users add` (password
 * on standard input) sign in through the sign-in page in two browser contexts; each sees only its own
 * sidebar, search results, export and token records; an admin disables the other on the users page and that
 * session ends at its next request; an API key made on the API keys page works on /v1 until revoked there.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ROOT, startAppServer, type AppServer } from "./support/app-server";
import { launchBrowser } from "./support/browser";
import { UI_TIMEOUT } from "./support/chat-page";

const PASSWORDS = { alice: "alice's long password", bob: "bob's long password" } as const;
type Name = keyof typeof PASSWORDS;

describe("accounts: a team server (production server)", () => {
  let server: AppServer;
  let browser: Browser;
  let workDir: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), "bitnet-accounts-"));
    const databasePath = path.join(workDir, "chat.db");
    for (const [name, flags] of [["alice", ["--admin"]], ["bob", []]] as const) {
      const out = execFileSync(process.execPath, [path.join(ROOT, "bin/bitnet.mjs"), "users", "add", name, ...flags], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_PATH: databasePath },
        input: `${PASSWORDS[name]}\n`,
        encoding: "utf8",
      });
      expect(out).not.toContain(PASSWORDS[name]);
    }
    [server, browser] = await Promise.all([
      startAppServer({ BITNET_MODEL: inject("tinyOnnx"), BITNET_AUTH: "accounts", DATABASE_PATH: databasePath, BITNET_PARALLEL: "2" }, { waitForModel: true }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function signIn(name: Name): Promise<Page> {
    const context = await browser.newContext({ baseURL: server.baseUrl });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto("/");
    await page.waitForURL(/\/sign-in\?next=%2F$/);
    await page.getByLabel("User name").fill(name);
    await page.getByLabel("Password").fill(PASSWORDS[name]);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.baseUrl}/`);
    return page;
  }

  async function ask(page: Page, text: string): Promise<{ conversationId: string; messageId: string }> {
    const composer = page.getByRole("textbox", { name: "Message", exact: true });
    await composer.fill(text);
    const send = page.getByRole("button", { name: "Send", exact: true });
    await expect.poll(() => send.isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
    await send.click();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: UI_TIMEOUT }).toMatch(/^\/c\/[^/]+$/);
    await expect.poll(() => page.locator('article[data-role="assistant"]').last().getAttribute("data-status"), { timeout: 90_000 }).toBe("complete");
    const conversationId = decodeURIComponent(new URL(page.url()).pathname.slice("/c/".length));
    const conversation = await fetchJson<{ messages: { id: string; role: string }[] }>(page, `/api/conversations/${conversationId}`);
    return { conversationId, messageId: conversation.body.messages.find((m) => m.role === "assistant")!.id };
  }

  /** A request from inside the page: with its session cookie, as the app's own code makes it. */
  function fetchJson<T>(page: Page, url: string): Promise<{ status: number; body: T }> {
    return page.evaluate(async (u) => {
      const response = await fetch(u);
      return { status: response.status, body: await response.json().catch(() => null) };
    }, url) as Promise<{ status: number; body: T }>;
  }

  const sidebarTitles = (page: Page) => page.getByRole("navigation", { name: "Conversation history" }).getByRole("listitem").allTextContents();

  it("two accounts each see only their own sidebar, search, export and token records; a disabled account's session ends", async () => {
    const [alice, bob] = await Promise.all([signIn("alice"), signIn("bob")]);
    const a = await ask(alice, "alpha zebra question");
    const b = await ask(bob, "bravo zebra question");

    for (const page of [alice, bob]) await page.reload();
    await expect.poll(async () => (await sidebarTitles(alice)).join("|"), { timeout: UI_TIMEOUT }).toMatch(/alpha zebra/);
    await expect.poll(async () => (await sidebarTitles(bob)).join("|"), { timeout: UI_TIMEOUT }).toMatch(/bravo zebra/);
    expect((await sidebarTitles(alice)).join("|")).not.toMatch(/bravo/);
    expect((await sidebarTitles(bob)).join("|")).not.toMatch(/alpha/);

    // Search: a word both conversations contain finds only one's own.
    await alice.getByRole("searchbox", { name: "Search conversations" }).fill("zebra");
    await expect.poll(async () => (await sidebarTitles(alice)).join("|"), { timeout: UI_TIMEOUT }).toMatch(/alpha zebra/);
    expect((await sidebarTitles(alice)).join("|")).not.toMatch(/bravo/);
    expect((await fetchJson<{ conversations: { id: string }[] }>(bob, "/api/conversations?q=zebra")).body.conversations.map((c) => c.id)).toEqual([b.conversationId]);

    // Export of everything: one's own conversations only.
    const exported = await fetchJson<{ conversations: { title: string }[] }>(bob, "/api/conversations/export");
    expect(exported.body.conversations.map((c) => c.title).join("|")).toMatch(/bravo/);
    expect(exported.body.conversations.map((c) => c.title).join("|")).not.toMatch(/alpha/);

    // Token records: one's own 200, the other's 404 (as for an id that does not exist); so the conversation itself.
    expect((await fetchJson(alice, `/api/conversations/${a.conversationId}/messages/${a.messageId}/tokens`)).status).toBe(200);
    expect((await fetchJson(bob, `/api/conversations/${a.conversationId}/messages/${a.messageId}/tokens`)).status).toBe(404);
    expect((await fetchJson(bob, `/api/conversations/${a.conversationId}`)).status).toBe(404);
    await bob.goto(`/c/${a.conversationId}`);
    await expect.poll(() => bob.getByText("alpha zebra question").count(), { timeout: 5_000 }).toBe(0);

    // The admin disables Bob on the users page; Bob's next request is refused and his pages go to sign-in.
    await alice.goto("/admin");
    await alice.getByRole("button", { name: "Disable bob" }).click();
    await alice.getByRole("button", { name: "Enable bob" }).waitFor({ timeout: UI_TIMEOUT });
    expect((await fetchJson(bob, "/api/conversations")).status).toBe(401);
    await bob.goto("/");
    await bob.waitForURL(/\/sign-in/);
  });

  it("an API key made on the API keys page works on /v1 until it is revoked there", async () => {
    const alice = await signIn("alice");
    await alice.goto("/keys");
    await alice.getByLabel("Key name").fill("script");
    await alice.getByRole("button", { name: "Create key" }).click();
    const key = (await alice.getByLabel("New API key").textContent({ timeout: UI_TIMEOUT }))!.trim();
    const models = () => fetch(`${server.baseUrl}/v1/models`, { headers: { Authorization: `Bearer ${key}` } });
    expect((await models()).status).toBe(200);
    await alice.reload();
    await expect.poll(() => alice.getByLabel("New API key").count()).toBe(0); // shown once
    await alice.getByRole("button", { name: "Revoke script" }).click();
    await expect.poll(async () => (await models()).status, { timeout: UI_TIMEOUT }).toBe(401);
  });
});
