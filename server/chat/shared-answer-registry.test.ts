/**
 * Two front instances' registries on one real PostgreSQL database (each with its own pool, LISTEN
 * connection and instance id): the 409 guard, answering, Stop and re-attach across instances, a
 * snapshot too large for one NOTIFY, and an instance that dies with its answer's claim. The answers are
 * RunningAnswers driven by hand, so every event is known; the two-front test on the production build
 * with the model is tests/e2e/two-fronts.test.ts.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatEvent } from "@/lib/schemas/events";
import { PgAnswerClaims } from "@/server/db/pg/answer-claims";
import { openPgStore, type OpenPgStore } from "@/server/db/pg/pg-store";
import { postgresAvailable, startPostgres, type PostgresServer } from "@/server/db/testing/postgres-server";
import { AnswerRegistry } from "./answer-registry";
import { ChatError } from "./chat-error";
import { AnswerMeter } from "./answer-meter";
import { RunningAnswer } from "./running-answer";
import { SharedAnswerRegistry } from "./shared-answer-registry";
import { until } from "./testing/until";

const TTL_MS = 600;

interface Instance {
  registry: SharedAnswerRegistry;
  claims: PgAnswerClaims;
  pg: OpenPgStore;
  /** Stops it without any clean-up (its claims stay in the table): a crash. */
  die(): Promise<void>;
}

/** A hand-driven answer: `stop()` ends it as "stopped", like the real one. */
function handAnswer(conversationId: string): RunningAnswer {
  const abort = new AbortController();
  const meter = new AnswerMeter();
  const answer = new RunningAnswer({ conversationId, userMessageId: `${conversationId}-q`, assistantMessageId: `${conversationId}-a`, title: "T" }, abort, meter);
  // Like runAnswer: the meter (the snapshot's source) is updated before each event is published.
  const publish = answer.publish.bind(answer);
  answer.publish = (event: ChatEvent) => {
    if (event.event === "start") meter.onStart(event.data.promptTokens);
    if (event.event === "token") meter.onToken(event.data.text);
    publish(event);
  };
  abort.signal.addEventListener("abort", () => {
    answer.publish(done(answer.messageId, "stopped"));
    answer.finish();
  });
  return answer;
}

function done(messageId: string, status: "complete" | "stopped"): ChatEvent {
  const stats = { promptTokens: 3, completionTokens: 1, cachedPromptTokens: 0, ttftMs: 1, prefillTokPerS: 1, decodeTokPerS: 1, totalMs: 1, stopReason: "length" as const };
  return { event: "done", data: { messageId, status, stats } };
}

const token = (text: string, id = 7): ChatEvent => ({ event: "token", data: { text, id } });

async function readAll(events: AsyncGenerator<ChatEvent>): Promise<ChatEvent[]> {
  const seen: ChatEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe.runIf(postgresAvailable())("SharedAnswerRegistry: two instances on one PostgreSQL", () => {
  let server: PostgresServer;
  let url = "";
  const instances: Instance[] = [];

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase("bitnet_shared_answers");
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
  });
  afterEach(async () => {
    for (const instance of instances.splice(0)) await instance.die();
  });

  function instance(): Instance {
    const pg = openPgStore(url, { poolSize: 4 });
    const claims = new PgAnswerClaims({ pool: pg.pool, url, ready: pg.ready, ttlMs: TTL_MS });
    const registry = new SharedAnswerRegistry(claims, new AnswerRegistry());
    let dead = false;
    const made: Instance = {
      registry,
      claims,
      pg,
      async die() {
        if (dead) return;
        dead = true;
        await claims.close();
        await pg.close();
      },
    };
    instances.push(made);
    return made;
  }

  /** Reserves on `on` and tracks a hand-driven answer there (as startAnswer does). */
  async function startOn(on: Instance, conversationId: string): Promise<RunningAnswer> {
    const release = await on.registry.reserve(conversationId);
    const answer = handAnswer(conversationId);
    release();
    on.registry.track(answer);
    return answer;
  }

  it("a conversation answering on A is refused (409) on B, listed as answering on both, and free again once A's answer ends", async () => {
    const a = instance();
    const b = instance();
    const answer = await startOn(a, "c1");
    await expect(b.registry.reserve("c1")).rejects.toSatisfy((error) => error instanceof ChatError && error.kind === "answering");
    await expect(a.registry.reserve("c1")).rejects.toBeInstanceOf(ChatError);
    await until(async () => (await b.registry.answering())("c1"));
    expect((await a.registry.answering())("c1")).toBe(true);
    answer.publish(done(answer.messageId, "complete"));
    answer.finish();
    await until(async () => !(await b.registry.answering())("c1"));
    const release = await b.registry.reserve("c1");
    release();
  });

  it("a reservation released without an answer (its turn failed to write) frees the conversation for the other instance", async () => {
    const a = instance();
    const b = instance();
    const release = await a.registry.reserve("c2");
    await expect(b.registry.reserve("c2")).rejects.toBeInstanceOf(ChatError);
    release();
    await until(async () => {
      try {
        (await b.registry.reserve("c2"))();
        return true;
      } catch {
        return false;
      }
    });
  });

  it("re-attach on B streams A's answer: the snapshot (larger than one NOTIFY) then every later event, the same as a local re-attach, to the end", async () => {
    const a = instance();
    const answer = await startOn(a, "c3");
    // B is new (its LISTEN connection not open yet) when it re-attaches: the snapshot must not be missed.
    const b = instance();
    const long = "x".repeat(20_000); // the snapshot alone is far over NOTIFY's 8000 bytes: it goes through answer_relay
    answer.publish({ event: "start", data: { conversationId: "c3", userMessageId: "c3-q", assistantMessageId: "c3-a", promptTokens: 3, droppedTurns: 0, title: "T" } });
    answer.publish(token(long));
    const local = readAll((await a.registry.follow("c3", new AbortController().signal))!);
    const remote = readAll((await b.registry.follow("c3", new AbortController().signal))!);
    // Let the attach reach A before the next events (otherwise they are part of the snapshot, also fine, but not what this checks).
    await until(() => (a.registry as unknown as { forwards: Map<string, unknown> }).forwards.size === 1);
    for (let i = 0; i < 50; i += 1) answer.publish(token(`t${i} `, i));
    answer.publish(done(answer.messageId, "complete"));
    answer.finish();
    const [here, there] = await Promise.all([local, remote]);
    expect(there[0]).toMatchObject({ event: "snapshot", data: { text: long, messageId: "c3-a" } });
    const after = (events: ChatEvent[]) => events.slice(1);
    expect(after(there)).toEqual(after(here));
    expect(after(there)).toHaveLength(51);
    expect(there.at(-1)).toMatchObject({ event: "done", data: { status: "complete" } });
  });

  it("Stop on B stops the answer running on A and answers how A saved it; B's stop of nothing is null", async () => {
    const a = instance();
    const b = instance();
    const answer = await startOn(a, "c4");
    await until(async () => (await b.registry.answering())("c4"));
    expect(await b.registry.stop("c4")).toEqual({ messageId: "c4-a", status: "stopped" });
    expect(answer.isEnded).toBe(true);
    await until(async () => !(await b.registry.answering())("c4"));
    expect(await b.registry.stop("c4")).toBeNull();
    expect(await b.registry.follow("c4", new AbortController().signal)).toBeNull();
  });

  it("shutdown of A (stopAll) saves its answers and gives up their claims at once: B may answer on the conversation right away", async () => {
    const a = instance();
    const b = instance();
    const answer = await startOn(a, "c6");
    await until(async () => (await b.registry.answering())("c6"));
    await a.registry.stopAll();
    expect(answer.isEnded).toBe(true);
    (await b.registry.reserve("c6"))();
  });

  it("a message lost on the way (nobody answers the attach or the stop) ends the wait once the answer's claim is gone", async () => {
    const b = instance();
    await b.pg.ready();
    // A claim of an instance that never reads the bus (as if its LISTEN connection were down), alive for now.
    const sql = new pg.Client({ connectionString: url });
    await sql.connect();
    try {
      await sql.query("INSERT INTO answer_claims (conversation_id, instance_id, running, expires_at) VALUES ('c7', 'silent', true, now() + interval '1 hour')");
      const followed = readAll((await b.registry.follow("c7", new AbortController().signal))!);
      const stopped = b.registry.stop("c7");
      await sql.query("DELETE FROM answer_claims WHERE conversation_id = 'c7'");
      expect(await followed).toEqual([]);
      expect(await stopped).toBeNull();
    } finally {
      await sql.end();
    }
  }, 30_000);

  it("A dies mid-answer: B's re-attached stream ends, the conversation stops answering, and B may claim it again", async () => {
    const a = instance();
    const b = instance();
    const answer = await startOn(a, "c5");
    answer.publish(token("partial"));
    const followed = readAll((await b.registry.follow("c5", new AbortController().signal))!);
    await until(() => (a.registry as unknown as { forwards: Map<string, unknown> }).forwards.size === 1);
    const start = Date.now();
    await a.die();
    const events = await followed;
    expect(events[0]).toMatchObject({ event: "snapshot", data: { text: "partial" } });
    expect(events.some((e) => e.event === "done")).toBe(false);
    // Ended by the expiry of A's claim, not before.
    expect(Date.now() - start).toBeGreaterThanOrEqual(TTL_MS / 2);
    expect((await b.registry.answering())("c5")).toBe(false);
    (await b.registry.reserve("c5"))();
  });
});
