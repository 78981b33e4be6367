/**
 * Past one machine (issue 14): a front instance with no local model (BITNET_MODEL=none) sends every
 * answer to two worker instances — each a real `next start` with the tiny model on its own port,
 * reached through their OpenAI-compatible /v1. Checks routing, the status list, a worker killed
 * mid-answer (kill -9) and its return. All of it twice: the front on SQLite, and the front on a real
 * PostgreSQL server (DATABASE_URL), where the streamed chat is also read back from PostgreSQL itself.
 */
import pg from "pg";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SseLineParser } from "@/lib/sse/parse";
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import { postgresAvailable, startPostgres, type PostgresServer } from "@/server/db/testing/postgres-server";
import { startAppServer, type AppServer } from "./support/app-server";
import { launchBrowser } from "./support/browser";
import { ChatPage, fetchConversation, UI_TIMEOUT } from "./support/chat-page";

interface ChatRun {
  events: { event: string; data: Record<string, unknown> }[];
  text: string;
}

/** POSTs /api/chat and reads its SSE to the end; `onToken` sees each token as it arrives. */
async function chat(baseUrl: string, content: string, maxNewTokens: number, onToken?: (n: number) => void | Promise<void>): Promise<ChatRun> {
  const response = await fetch(`${baseUrl}/api/chat`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ content, params: { maxNewTokens, temperature: 1, seed: 5 } }),
  });
  expect(response.status).toBe(200);
  const parser = new SseLineParser();
  const decoder = new TextDecoder();
  const run: ChatRun = { events: [], text: "" };
  let tokens = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    for (const frame of parser.push(decoder.decode(chunk, { stream: true }))) {
      const data = JSON.parse(frame.data) as Record<string, unknown>;
      run.events.push({ event: frame.event, data });
      if (frame.event === "token") {
        run.text += data.text as string;
        tokens += 1;
        await onToken?.(tokens);
      }
    }
  }
  return run;
}

async function status(front: AppServer): Promise<ModelStatusDto> {
  return (await (await fetch(`${front.baseUrl}/api/model`)).json()) as ModelStatusDto;
}

const served = async (front: AppServer) => (await status(front)).workers!.map((w) => w.served);

/** The front's store: SQLite, and PostgreSQL unless BITNET_TEST_SKIP_PG=1 (a missing install fails). */
const stores = postgresAvailable() ? ["sqlite", "postgres"] : ["sqlite"];

/** The messages of a conversation as PostgreSQL itself has them. */
async function pgMessages(url: string, conversationId: string): Promise<{ role: string; status: string; content: string }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query("SELECT role, status, content FROM messages WHERE conversation_id = $1 ORDER BY seq", [conversationId])).rows;
  } finally {
    await client.end();
  }
}

describe.each(stores)("BITNET_MODEL=none with two inference workers, front on %s", (store) => {
  let workers: AppServer[];
  let front: AppServer;
  let browser: Browser;
  let postgres: PostgresServer | null = null;
  let databaseUrl = "";

  beforeAll(async () => {
    const model = inject("tinyOnnx");
    if (store === "postgres") {
      postgres = await startPostgres();
      databaseUrl = await postgres.createDatabase("bitnet_e2e_front");
    }
    workers = await Promise.all([0, 1].map(() => startAppServer({ BITNET_MODEL: model }, { waitForModel: true })));
    const frontEnv = { BITNET_MODEL: "none", BITNET_WORKERS: workers.map((w) => `${w.baseUrl}/v1`).join(","), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
    [front, browser] = await Promise.all([startAppServer(frontEnv, { waitForModel: true }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([front, ...(workers ?? [])].map((s) => s?.stop()));
    await postgres?.dispose();
  });

  it("lists both workers as up and streams a chat through the front in the browser", async () => {
    const current = await status(front);
    expect(current.state).toBe("ready");
    expect(current.workers!.map((w) => [w.url, w.state])).toEqual(workers.map((w) => [`${w.baseUrl}/v1`, "up"]));

    const page = await ChatPage.open(browser, front.baseUrl);
    try {
      await expect.poll(() => page.page.getByRole("status", { name: /2\/2 workers up/ }).count(), { timeout: UI_TIMEOUT }).toBe(1);
      await page.recordAnswer();
      await page.send("Hello through a worker");
      await page.waitForAnswerStatus("complete");
      const samples = await page.answerSamples();
      // Streamed: the answer was seen with more than one length before it completed.
      expect(new Set(samples.filter((s) => s.status !== "complete").map((s) => s.length)).size).toBeGreaterThan(1);
      const id = await page.conversationId();
      const saved = (await fetchConversation(front.baseUrl, id)).body!;
      expect(saved.messages.at(-1)).toMatchObject({ role: "assistant", status: "complete" });
      expect(saved.messages.at(-1)!.content.length).toBeGreaterThan(0);
      if (store === "postgres") {
        expect((await (await fetch(`${front.baseUrl}/api/health`)).json()) as unknown).toMatchObject({ database: "ok", dialect: "postgres" });
        const rows = await pgMessages(databaseUrl, id);
        expect(rows.map((r) => [r.role, r.status])).toEqual([["user", "complete"], ["assistant", "complete"]]);
        expect(rows[1]!.content).toBe(saved.messages.at(-1)!.content);
      }
    } finally {
      await page.close();
    }
  });

  it("sends two answers at once to different workers", async () => {
    const before = await served(front);
    const [a, b] = await Promise.all([chat(front.baseUrl, "first at once", 64), chat(front.baseUrl, "second at once", 64)]);
    for (const run of [a, b]) expect(run.events.at(-1)).toMatchObject({ event: "done", data: { status: "complete" } });
    const after = await served(front);
    expect(after.map((n, i) => n - before[i])).toEqual([1, 1]);
  });

  it("a worker killed mid-answer leaves that answer saved as an error with its text; the next goes to the other; a restart brings it back", async () => {
    let killed = -1;
    const run = await chat(front.baseUrl, "a long answer", 2048, async (tokens) => {
      if (tokens !== 3) return;
      killed = (await status(front)).workers!.findIndex((w) => w.inFlight === 1);
      await workers[killed].kill();
    });
    expect(killed).toBeGreaterThanOrEqual(0);
    const done = run.events.at(-1)!;
    expect(done).toMatchObject({ event: "done", data: { status: "error" } });
    expect(String(done.data.error)).toContain(`${workers[killed].baseUrl}/v1`);
    const conversationId = String(run.events.find((e) => e.event === "start")!.data.conversationId);
    const saved = (await fetchConversation(front.baseUrl, conversationId)).body!;
    const answer = saved.messages.at(-1)!;
    expect(answer.status).toBe("error");
    expect(answer.content).toBe(run.text);
    expect(answer.content.length).toBeGreaterThan(0);
    if (store === "postgres") expect((await pgMessages(databaseUrl, conversationId)).at(-1)).toMatchObject({ status: "error", content: run.text });
    expect((await status(front)).workers![killed].state).toBe("down");

    const other = 1 - killed;
    const before = await served(front);
    const next = await chat(front.baseUrl, "after the crash", 16);
    expect(next.events.at(-1)).toMatchObject({ event: "done", data: { status: "complete" } });
    expect((await served(front))[other]).toBe(before[other] + 1);

    const old = workers[killed];
    workers[killed] = await startAppServer({ BITNET_MODEL: inject("tinyOnnx") }, { waitForModel: true, port: old.port });
    await old.stop(); // clean up the dead one's files
    await expect.poll(async () => (await status(front)).workers![killed].state, { timeout: 30_000, interval: 500 }).toBe("up");
  });
});
