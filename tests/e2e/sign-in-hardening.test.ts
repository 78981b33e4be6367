/**
 * Issue 20 (sign-in and sessions), against the production server: after sign-in the browser only ever lands
 * on this site, key guesses are throttled per address however they are sent, and sessions live on the server
 * (sign-out and a new key revoke them).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CLIENT_ADDRESS_HEADER } from "@/server/auth/client-address";
import { KeyThrottle, throttleOptionsFromEnv } from "@/server/auth/key-throttle";
import { startAppServer, type AppServer } from "./support/app-server";
import { launchBrowser } from "./support/browser";
import { rawRequest } from "./support/raw-http";

const KEY = "correct horse battery staple";
/** Small delays so a hundred of them fit in a test: 2, 4, 8 … ms, capped at 120 ms. */
const DELAY_MS = "2";
const schedule = new KeyThrottle(throttleOptionsFromEnv(DELAY_MS));
/** What n wrong keys of one address must cost at least, one after another. */
const totalDelay = (n: number) => Array.from({ length: n }, (_, i) => schedule.delayAfter(i + 1)).reduce((a, b) => a + b, 0);
/** setTimeout may fire up to a millisecond early. */
const timerSlack = (n: number) => n;

async function signIn(baseUrl: string, key: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/api/session`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify({ key }) });
}

/** The `name=value` part of a Set-Cookie header, to send back as Cookie. */
const cookieOf = (response: Response) => (response.headers.get("set-cookie") ?? "").split(";")[0]!;

describe("sign-in and sessions (production server)", () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startAppServer({ BITNET_MODEL: inject("tinyOnnx"), BITNET_API_KEY: KEY, BITNET_AUTH_DELAY_MS: DELAY_MS }),
      // A hostile `next` that escaped would land on these names (served by nothing: the page would fail to load).
      launchBrowser(["--host-resolver-rules=MAP evil.example 127.0.0.1:9"]),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("after signing in with a hostile next, Chromium ends on this site's / (a path of the app is kept)", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      const hostile = [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "//evil.example",
        "///evil.example/",
        "https://evil.example/",
        "/.//evil.example",
        "/\u0000/evil.example",
        "javascript:alert(document.domain)",
        " //evil.example",
      ];
      for (const next of [...hostile, "/efficiency?x=1"]) {
        await page.goto(`${server.baseUrl}/sign-in?next=${encodeURIComponent(next)}`);
        await page.getByLabel("Access key").fill(KEY);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL((url) => url.pathname !== "/sign-in", { waitUntil: "load" });
        const landed = new URL(page.url());
        expect(landed.origin, JSON.stringify(next)).toBe(server.baseUrl);
        expect(landed.pathname + landed.search, JSON.stringify(next)).toBe(next === "/efficiency?x=1" ? next : "/");
      }
    } finally {
      await context.close();
    }
  });

  it("gives a random token in an HttpOnly, SameSite=Strict cookie for 30 days, Secure behind TLS", async () => {
    const [a, b] = [await signIn(server.baseUrl, KEY), await signIn(server.baseUrl, KEY)];
    expect([a.status, b.status]).toEqual([204, 204]);
    const cookie = a.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^bitnet_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=2592000$/);
    expect(cookieOf(a)).not.toBe(cookieOf(b));
    expect(cookie).not.toContain(encodeURIComponent(KEY).slice(0, 8));
    const behindTls = await signIn(server.baseUrl, KEY, { "X-Forwarded-Proto": "https" });
    expect(behindTls.headers.get("set-cookie")).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=2592000; Secure$/);
    expect((await fetch(`${server.baseUrl}/api/session`, { method: "DELETE", headers: { Cookie: cookieOf(behindTls), "X-Forwarded-Proto": "https" } })).headers.get("set-cookie")).toMatch(
      /^bitnet_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0; Secure$/,
    );
  });

  it("DELETE /api/session revokes that session: the old cookie, replayed, gets 401 (other sessions stay)", async () => {
    const mine = cookieOf(await signIn(server.baseUrl, KEY));
    const other = cookieOf(await signIn(server.baseUrl, KEY));
    expect((await fetch(`${server.baseUrl}/api/conversations`, { headers: { Cookie: mine } })).status).toBe(200);
    const out = await fetch(`${server.baseUrl}/api/session`, { method: "DELETE", headers: { Cookie: mine } });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^bitnet_session=; .*Max-Age=0/);
    const replayed = await fetch(`${server.baseUrl}/api/conversations`, { headers: { Cookie: mine } });
    expect(replayed.status).toBe(401);
    expect((await fetch(`${server.baseUrl}/`, { headers: { Cookie: mine }, redirect: "manual" })).status).toBe(303);
    expect((await fetch(`${server.baseUrl}/api/conversations`, { headers: { Cookie: other } })).status).toBe(200);
  });

  it("the Sign out button in the app ends the session on the server", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/sign-in`);
      await page.getByLabel("Access key").fill(KEY);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${server.baseUrl}/`);
      const session = (await context.cookies()).find((c) => c.name === "bitnet_session")!;
      expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", secure: false });
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/sign-in/);
      expect((await context.cookies()).find((c) => c.name === "bitnet_session")).toBeUndefined();
      const replayed = await fetch(`${server.baseUrl}/api/conversations`, { headers: { Cookie: `bitnet_session=${session.value}` } });
      expect(replayed.status).toBe(401);
    } finally {
      await context.close();
    }
  });

  it("100 parallel wrong bearer keys (on /api and /v1, even with a forged address header) take as long as 100 wrong sign-ins in a row; the right key then works and resets the count; another address has its own line", async () => {
    const n = 100;
    const started = performance.now();
    const since = () => performance.now() - started;
    let done = 0;
    let halfDone!: () => void;
    const half = new Promise<void>((resolve) => (halfDone = resolve));
    const guesses = Array.from({ length: n }, async (_, i) => {
      const url = `${server.baseUrl}${i % 2 === 0 ? "/api/conversations" : "/v1/models"}`;
      // A client-sent value of the server's own address header is overwritten with the real peer.
      const response = await fetch(url, { headers: { Authorization: `Bearer guess-${i}`, [CLIENT_ADDRESS_HEADER]: `10.0.${i}.1` } });
      if (++done === n / 2) halfDone();
      return { status: response.status, at: since() };
    });
    // Half-way through (every guess has long reached the server), the right key joins the line's end …
    await half;
    const right = fetch(`${server.baseUrl}/api/conversations`, { headers: { Authorization: `Bearer ${KEY}` } }).then((r) => ({ status: r.status, at: since() }));
    // … while a client at another address (127.0.0.2) is not held up by 127.0.0.1's line.
    const elsewhere = (async () => {
      const wrong = await rawRequest(server.baseUrl, { path: "/api/conversations", headers: { Authorization: "Bearer nope" }, localAddress: "127.0.0.2" });
      const ok = await rawRequest(server.baseUrl, { path: "/api/conversations", headers: { Authorization: `Bearer ${KEY}` }, localAddress: "127.0.0.2" });
      return { statuses: [wrong.status, ok.status], at: since() };
    })();

    const results = await Promise.all(guesses);
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: n }, () => 401));
    const elapsed = Math.max(...results.map((r) => r.at));
    expect(elapsed).toBeGreaterThanOrEqual(totalDelay(n) - timerSlack(n));
    const correct = await right;
    expect(correct.status).toBe(200);
    expect(correct.at).toBeGreaterThanOrEqual(totalDelay(n) - timerSlack(n));
    const other = await elsewhere;
    expect(other.statuses).toEqual([401, 200]);
    expect(other.at).toBeLessThan(elapsed);

    // Counting starts afresh: ten wrong sign-ins in a row cost the first ten delays (not ten capped ones) …
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) expect((await signIn(server.baseUrl, `guess-${i}`)).status).toBe(401);
    const sequential = performance.now() - t0;
    expect(sequential).toBeGreaterThanOrEqual(totalDelay(10) - timerSlack(10));
    console.log(
      `[throttle] ${n} parallel wrong keys: ${Math.round(elapsed)} ms (schedule: ≥ ${totalDelay(n)} ms); the right key after them: ${Math.round(correct.at)} ms; ` +
        `127.0.0.2 meanwhile: ${Math.round(other.at)} ms; 10 sequential wrong sign-ins: ${Math.round(sequential)} ms (≥ ${totalDelay(10)} ms)`,
    );
    // … and the right key still signs in.
    expect((await signIn(server.baseUrl, KEY)).status).toBe(204);
  });
});

describe("a changed access key revokes every session (production server, restarted)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bitnet-rekey-"));
  const databasePath = path.join(dir, "chat.db");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function withServer<T>(key: string, body: (server: AppServer) => Promise<T>): Promise<T> {
    const server = await startAppServer({ BITNET_MODEL: inject("tinyOnnx"), BITNET_API_KEY: key, DATABASE_PATH: databasePath });
    try {
      return await body(server);
    } finally {
      await server.stop();
    }
  }

  it("a session of the old key gets 401 after a restart with a new key, and stays revoked when the old key comes back", async () => {
    const cookie = await withServer("the old key", async (server) => {
      const signedIn = cookieOf(await signIn(server.baseUrl, "the old key"));
      expect((await fetch(`${server.baseUrl}/api/conversations`, { headers: { Cookie: signedIn } })).status).toBe(200);
      return signedIn;
    });
    await withServer("the new key", async (server) => {
      expect((await fetch(`${server.baseUrl}/api/conversations`, { headers: { Cookie: cookie } })).status).toBe(401);
      expect((await fetch(`${server.baseUrl}/api/conversations`, { headers: { Authorization: "Bearer the old key" } })).status).toBe(401);
    });
    await withServer("the old key", async (server) => {
      expect((await fetch(`${server.baseUrl}/api/conversations`, { headers: { Cookie: cookie } })).status).toBe(401);
    });
  });
});
