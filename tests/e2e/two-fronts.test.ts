/**
 * Several fronts as one (issue 23 §2): two production servers (`next start`, the tiny model each) on
 * different ports share one real PostgreSQL database. An answer started on A is re-attached on B and
 * streamed to its end, stopped from B, guarded by a 409 on B, and — once A is killed mid-answer —
 * shown by B as stopped with the text A had saved. Claims last 3 s here (BITNET_CLAIM_TTL_MS), so a
 * dead front is noticed within seconds.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ConversationDto } from "@/lib/schemas/conversations";
import { readSseStream, type SseFrame } from "@/lib/sse/parse";
import { postgresAvailable, startPostgres, type PostgresServer } from "@/server/db/testing/postgres-server";
import { startAppServer, type AppServer } from "./support/app-server";

const CLAIM_TTL_MS = 3_000;
/** A 2048-token answer on a heavily loaded machine (see answers-outlive-page.test.ts). */
const LONG_ANSWER_MS = 240_000;
const LONG_TEST_MS = 300_000;

interface Event {
  event: string;
  data: Record<string, unknown>;
}

const parse = (frame: SseFrame): Event => ({ event: frame.event, data: JSON.parse(frame.data) as Record<string, unknown> });

function postChat(front: AppServer, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${front.baseUrl}/api/chat`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

/** A short answer on the conversation, read to its end; the response's status. */
async function sendShort(front: AppServer, conversationId: string): Promise<number> {
  const response = await postChat(front, { conversationId, content: "Now a short one.", params: { maxNewTokens: 4 } });
  await response.text();
  return response.status;
}

/** POSTs /api/chat on `front`; reads until its first token and detaches (the answer goes on). Returns the conversation id. */
async function startLongAnswer(front: AppServer): Promise<string> {
  const response = await postChat(front, { content: "Tell a very long story.", params: { maxNewTokens: 2048 } });
  expect(response.status).toBe(200);
  const detach = new AbortController();
  let conversationId = "";
  for await (const frame of readSseStream(response.body!, detach.signal)) {
    const event = parse(frame);
    if (event.event === "start") conversationId = String(event.data.conversationId);
    if (event.event === "token") break;
  }
  detach.abort();
  await response.body!.cancel().catch(() => undefined);
  expect(conversationId).not.toBe("");
  return conversationId;
}

async function conversation(front: AppServer, id: string): Promise<ConversationDto> {
  const response = await fetch(`${front.baseUrl}/api/conversations/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as ConversationDto;
}

/** Re-attaches on `front`: the events of GET /stream, as they come; `onEvent` may end the reading early (return true). */
async function follow(front: AppServer, id: string, onEvent?: (event: Event) => boolean): Promise<Event[]> {
  const response = await fetch(`${front.baseUrl}/api/conversations/${id}/stream`);
  expect(response.status).toBe(200);
  const events: Event[] = [];
  const detach = new AbortController();
  for await (const frame of readSseStream(response.body!, detach.signal)) {
    events.push(parse(frame));
    if (onEvent?.(events.at(-1)!)) break;
  }
  detach.abort();
  await response.body!.cancel().catch(() => undefined);
  return events;
}

/** The answer's text as a follower saw it: the snapshot's text, then every token. */
function followedText(events: Event[]): string {
  const snapshot = events[0]!;
  expect(snapshot.event).toBe("snapshot");
  return String(snapshot.data.text) + events.filter((e) => e.event === "token").map((e) => String(e.data.text)).join("");
}

describe.runIf(postgresAvailable())("two fronts on one PostgreSQL (production build, tiny model)", () => {
  let postgres: PostgresServer;
  let a: AppServer;
  let b: AppServer;

  beforeAll(async () => {
    postgres = await startPostgres();
    const env = {
      BITNET_MODEL: inject("tinyOnnx"),
      BITNET_PARALLEL: "1",
      DATABASE_URL: await postgres.createDatabase("bitnet_two_fronts"),
      BITNET_CLAIM_TTL_MS: String(CLAIM_TTL_MS),
    };
    [a, b] = await Promise.all([startAppServer(env, { waitForModel: true }), startAppServer(env, { waitForModel: true })]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await postgres?.dispose();
  });

  it("an answer started on A is listed as answering on B, and re-attaching on B streams it to the end (snapshot, then tokens, then done)", async () => {
    const id = await startLongAnswer(a);
    expect((await conversation(b, id)).answering).toBe(true);
    const events = await follow(b, id);
    expect(events[0]).toMatchObject({ event: "snapshot", data: { conversationId: id, phase: "generating" } });
    expect(events.filter((e) => e.event === "token").length).toBeGreaterThan(0);
    const done = events.at(-1)!;
    expect(done).toMatchObject({ event: "done", data: { status: "complete" } });
    const saved = (await conversation(b, id)).messages.at(-1)!;
    expect(saved).toMatchObject({ role: "assistant", status: "complete", id: done.data.messageId });
    expect(followedText(events)).toBe(saved.content);
    await expect.poll(async () => (await conversation(b, id)).answering).toBe(false);
  }, LONG_TEST_MS);

  it("while A answers, a second send on B gets 409; Stop on B stops A's answer and answers how it was saved", async () => {
    const id = await startLongAnswer(a);
    const again = await postChat(b, { conversationId: id, content: "And another one." });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("answering");

    const stop = await fetch(`${b.baseUrl}/api/conversations/${id}/stop`, { method: "POST" });
    expect(stop.status).toBe(200);
    const stopped = (await stop.json()) as { messageId: string; status: string };
    expect(stopped.status).toBe("stopped");
    const onA = await conversation(a, id);
    expect(onA.answering).toBe(false);
    expect(onA.messages.at(-1)).toMatchObject({ id: stopped.messageId, status: "stopped" });
    // Nothing runs any more: B may send on it now.
    expect(await sendShort(b, id)).toBe(200);
  }, LONG_TEST_MS);

  it("A killed mid-answer: B's re-attached stream ends, and B shows the answer as stopped with the text A saved", async () => {
    const id = await startLongAnswer(a);
    let tokens = 0;
    const followed = follow(b, id, (event) => {
      if (event.event === "token") tokens += 1;
      return false;
    });
    // Past the first partial save (every 32 tokens or 1 s), so there is saved text to show.
    await expect.poll(() => tokens, { timeout: LONG_ANSWER_MS }).toBeGreaterThan(64);
    await a.kill();
    const killedAt = Date.now();
    const events = await followed;
    expect(events.some((e) => e.event === "done")).toBe(false);
    // Ended by A's claim expiring, which takes at most one claim lifetime plus a heartbeat.
    expect(Date.now() - killedAt).toBeLessThan(CLAIM_TTL_MS * 10);
    const shown = await conversation(b, id);
    expect(shown.answering).toBe(false);
    const answer = shown.messages.at(-1)!;
    expect(answer).toMatchObject({ role: "assistant", status: "stopped" });
    expect(answer.content.length).toBeGreaterThan(0);
    // The same answer: the saved text and what B streamed agree as far as both go (either may be ahead:
    // A saves every 32 tokens or 1 s, and forwards its events every 40 ms).
    const streamed = followedText(events);
    const common = Math.min(streamed.length, answer.content.length);
    expect(common).toBeGreaterThan(0);
    expect(answer.content.slice(0, common)).toBe(streamed.slice(0, common));
    // The dead front's claim is gone: B answers on the conversation.
    expect(await sendShort(b, id)).toBe(200);
  }, LONG_TEST_MS);
});
