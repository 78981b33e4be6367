import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChatError } from "./chat-error";
import { chatRequestSchema, type ChatRequest } from "@/lib/schemas/chat";
import type { ChatEvent } from "@/lib/schemas/events";
import * as conversationsRepo from "@/server/db/conversations-repo";
import * as messagesRepo from "@/server/db/messages-repo";
import { checkFtsIntegrity, openTempDb, tableCounts, type TempDb } from "@/server/db/testing/temp-db";
import type { Engine } from "@/server/engine/types";
import { AnswerRegistry } from "./answer-registry";
import { followAnswer, stopAnswer } from "./answer-control";
import { deleteConversation, getConversation, listConversations } from "./conversations";
import type { ProgressPolicy } from "./progress-saver";
import { startAnswer } from "./start-answer";
import { collectEvents, eventOf, textOf } from "./testing/collect";
import { createTestEngine, type TestEngine } from "@/server/engine/testing/test-engine";
import { until } from "./testing/until";
import { readTokens } from "./message-tokens";

let t: TempDb;
let registry: AnswerRegistry;
beforeEach(() => {
  t = openTempDb();
  registry = new AnswerRegistry();
});
afterEach(async () => {
  await registry.stopAll();
  t.dispose();
});

const LONG = "The quick brown fox jumps over the lazy dog, again and again, until the end.";

/** Speculative decoding off: these tests count one token per forward pass of the gated model. */
function start(engine: Engine, body: ChatRequest, extra: { signal?: AbortSignal; progress?: ProgressPolicy } = {}) {
  const request = chatRequestSchema.parse({ ...body, params: { speculative: false, ...body.params } });
  return startAnswer({ db: t.store, engine, registry, request, ...extra });
}

const messagesOf = (conversationId: string) => messagesRepo.listMessages(t.db, { conversationId });
const answerRow = (conversationId: string) => messagesOf(conversationId).find((m) => m.role === "assistant");

/** Lets `n` forward passes through (the first is the prefill), each once the model waits for it. */
async function steps(model: TestEngine, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await until(() => model.gate!.waiting() > 0);
    model.gate!.step();
  }
}

describe("answers that belong to the server", () => {
  it("a listener that leaves does not stop the answer: it runs to its end and is saved complete", async () => {
    const model = createTestEngine({ answer: LONG, gated: true });
    const client = new AbortController();
    const started = await start(model.engine, { content: "tell me" }, { signal: client.signal });
    expect(registry.isAnswering(started.conversationId)).toBe(true);
    await steps(model, 3);
    client.abort();
    expect(await collectEvents(started.events)).not.toContainEqual(expect.objectContaining({ event: "done" }));
    model.gate!.open();
    expect(await started.answer.settled).toEqual({ messageId: started.answer.messageId, status: "complete" });
    expect(answerRow(started.conversationId)).toMatchObject({ content: LONG, status: "complete" });
    expect(registry.isAnswering(started.conversationId)).toBe(false);
  });

  it("re-attaching sees a snapshot of the answer so far, then the rest; together the whole answer", async () => {
    const model = createTestEngine({ answer: LONG, gated: true });
    const started = await start(model.engine, { content: "tell me" });
    await steps(model, 6); // prefill + 5 tokens
    await until(() => started.answer.snapshot().stats.completionTokens === 5);
    const follower = (await followAnswer(t.store, { registry, id: started.conversationId, signal: new AbortController().signal }))!;
    const first = (await follower.next()).value as ChatEvent;
    expect(first).toEqual({
      event: "snapshot",
      data: {
        conversationId: started.conversationId,
        userMessageId: started.answer.userMessageId,
        messageId: started.answer.messageId,
        title: "tell me",
        text: LONG.slice(0, 5),
        phase: "generating",
        queuePosition: null,
        stats: { promptTokens: expect.any(Number), completionTokens: 5, elapsedMs: expect.any(Number), ttftMs: expect.any(Number) },
      },
    });
    model.gate!.open();
    const rest: ChatEvent[] = [];
    for (let r = await follower.next(); !r.done; r = await follower.next()) rest.push(r.value);
    expect(first.event === "snapshot" && first.data.text + textOf(rest)).toBe(LONG);
    expect(eventOf(rest, "done").data).toMatchObject({ messageId: started.answer.messageId, status: "complete" });
    // The first client saw every event too.
    const all = await collectEvents(started.events);
    expect(textOf(all)).toBe(LONG);
    expect(await followAnswer(t.store, { registry, id: started.conversationId, signal: new AbortController().signal })).toBeNull();
  });

  it("a second writer on an answering conversation gets 409 and writes nothing; afterwards it may", async () => {
    const model = createTestEngine({ answer: LONG, gated: true });
    const started = await start(model.engine, { content: "first" });
    await steps(model, 2);
    const before = tableCounts(t);
    for (const body of [
      { conversationId: started.conversationId, content: "again" },
      { conversationId: started.conversationId, content: "first", mode: "regenerate" as const },
      { conversationId: started.conversationId, content: "edited", mode: "edit" as const },
    ]) {
      const second = () => start(model.engine, body);
      await expect(second()).rejects.toThrow(ChatError);
      await expect(second()).rejects.toThrow(expect.objectContaining({ kind: "answering", field: "conversationId" }));
    }
    expect(tableCounts(t)).toEqual(before);
    model.gate!.open();
    await started.answer.settled;
    const next = await start(model.engine, { conversationId: started.conversationId, content: "second" });
    await next.answer.settled;
    expect(messagesOf(started.conversationId).map((m) => m.content)).toEqual(["first", LONG, "second", LONG]);
  });

  it("stop saves the answer so far as stopped and reports it; nothing running answers null", async () => {
    const model = createTestEngine({ answer: LONG, gated: true });
    const started = await start(model.engine, { content: "tell me" });
    await steps(model, 4);
    await until(() => started.answer.snapshot().stats.completionTokens === 3);
    const stopping = stopAnswer(t.store, { registry, id: started.conversationId });
    model.gate!.open();
    expect(await stopping).toEqual({ messageId: started.answer.messageId, status: "stopped" });
    const row = answerRow(started.conversationId)!;
    expect(row.status).toBe("stopped");
    expect(row.stats?.stopReason).toBe("abort");
    expect(LONG.startsWith(row.content) && row.content.length >= 3 && row.content.length < LONG.length).toBe(true);
    const events = await collectEvents(started.events);
    expect(eventOf(events, "done").data.status).toBe("stopped");
    expect(await stopAnswer(t.store, { registry, id: started.conversationId })).toBeNull();
    await expect(stopAnswer(t.store, { registry, id: "missing" })).rejects.toMatchObject({ kind: "not_found" });
  });

  it("a job stopped while still queued is rolled back like a busy one", async () => {
    const model = createTestEngine({ answer: LONG, gated: true });
    const occupying = await start(model.engine, { content: "occupy" });
    await steps(model, 1);
    const previous = await start(createTestEngine({ answer: "old answer" }).engine, { content: "question" });
    await previous.answer.settled;
    const before = messagesOf(previous.conversationId).map((m) => [m.id, m.content, m.status]);
    const queued = await start(model.engine, { conversationId: previous.conversationId, content: "question", mode: "regenerate" });
    const queuedNew = await start(model.engine, { content: "new chat" });
    await until(() => queuedNew.answer.isQueued && queued.answer.isQueued);
    const answering = (await listConversations(t.store, { limit: 10, isAnswering: registry.isAnswering })).filter((c) => c.answering).map((c) => c.id);
    expect(answering.sort()).toEqual([occupying.conversationId, previous.conversationId, queuedNew.conversationId].sort());
    expect(await stopAnswer(t.store, { registry, id: queued.conversationId })).toEqual({ messageId: queued.answer.messageId, status: null });
    expect(await stopAnswer(t.store, { registry, id: queuedNew.conversationId })).toEqual({ messageId: queuedNew.answer.messageId, status: null });
    expect(eventOf(await collectEvents(queued.events), "error").data.code).toBe("cancelled");
    expect(messagesOf(previous.conversationId).map((m) => [m.id, m.content, m.status])).toEqual(before);
    expect(conversationsRepo.getConversation(t.db, { id: queuedNew.conversationId })).toBeUndefined();
    checkFtsIntegrity(t);
    model.gate!.open();
    await occupying.answer.settled;
  });

  it("delete stops the running answer: the model is free after at most one more step", async () => {
    const model = createTestEngine({ answer: LONG, gated: true });
    const started = await start(model.engine, { content: "tell me" });
    await steps(model, 3);
    await until(() => model.gate!.waiting() > 0); // the next decode step waits
    const callsAtDelete = model.runner.calls.length;
    await deleteConversation(t.store, { id: started.conversationId, registry });
    model.gate!.open();
    expect(await started.answer.settled).toEqual({ messageId: started.answer.messageId, status: null });
    expect(model.runner.calls.length).toBeLessThanOrEqual(callsAtDelete + 1);
    expect(model.engine.queueLength()).toBe(0);
    const events = await collectEvents(started.events);
    // Not a `done` for a message that is not stored.
    expect(events.at(-1)).toEqual({ event: "error", data: { code: "not_saved", message: expect.any(String) } });
    expect(tableCounts(t)).toEqual({ conversations: 0, messages: 0 });
  });

  it("a failing final save is reported as an error event, never a silent complete", async () => {
    const model = createTestEngine({ answer: "short" });
    t.sqlite.exec("CREATE TRIGGER fail_final_save BEFORE UPDATE OF status ON messages BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    const started = await start(model.engine, { content: "hi" });
    const events = await collectEvents(started.events);
    expect(events.some((e) => e.event === "done")).toBe(false);
    expect(events.at(-1)).toEqual({
      event: "error",
      data: { code: "save_failed", message: expect.stringContaining("disk I/O error"), conversationId: started.conversationId },
    });
  });

  it("writes the partial answer every 32 tokens while it streams", async () => {
    const model = createTestEngine({ answer: LONG, gated: true });
    const started = await start(model.engine, { content: "tell me" }, { progress: { everyTokens: 32, everyMs: 60_000 } });
    const tokensStreamed = async (n: number) => {
      await steps(model, n - started.answer.snapshot().stats.completionTokens + (n === 31 ? 1 : 0));
      await until(() => started.answer.snapshot().stats.completionTokens === n);
    };
    // The token records are saved with the text, as of the same token (a crash keeps both).
    const recorded = async () => {
      const row = answerRow(started.conversationId)!;
      return (await readTokens(t.store, { conversationId: started.conversationId, messageId: row.id }))?.map((r) => r.text).join("") ?? null;
    };
    await tokensStreamed(31);
    expect(answerRow(started.conversationId)!.content).toBe("");
    expect(await recorded()).toBeNull();
    await tokensStreamed(32);
    expect(answerRow(started.conversationId)).toMatchObject({ content: LONG.slice(0, 32), status: "stopped" });
    expect(await recorded()).toBe(LONG.slice(0, 32));
    await tokensStreamed(63);
    expect(answerRow(started.conversationId)!.content).toBe(LONG.slice(0, 32));
    await tokensStreamed(64);
    expect(answerRow(started.conversationId)!.content).toBe(LONG.slice(0, 64));
    expect(await recorded()).toBe(LONG.slice(0, 64));
    model.gate!.open();
    await started.answer.settled;
    expect(await recorded()).toBe(LONG);
  });

  it("writes the partial answer once a second even when tokens come slowly", async () => {
    const model = createTestEngine({ answer: LONG, gated: true });
    let clock = 0;
    const started = await start(model.engine, { content: "tell me" }, { progress: { everyTokens: 32, everyMs: 1_000, now: () => clock } });
    await steps(model, 4); // prefill + 3 tokens within the same second
    await until(() => started.answer.snapshot().stats.completionTokens === 3);
    expect(answerRow(started.conversationId)!.content).toBe("");
    clock = 1_000;
    await steps(model, 1);
    await until(() => started.answer.snapshot().stats.completionTokens === 4);
    expect(answerRow(started.conversationId)!.content).toBe(LONG.slice(0, 4));
    model.gate!.open();
    await started.answer.settled;
  });

  it("conversations show `answering` while their answer runs or waits", async () => {
    const model = createTestEngine({ answer: LONG, gated: true });
    const started = await start(model.engine, { content: "tell me" });
    const isAnswering = registry.isAnswering;
    expect((await getConversation(t.store, { id: started.conversationId, isAnswering })).answering).toBe(true);
    expect((await listConversations(t.store, { limit: 5, isAnswering }))[0]?.answering).toBe(true);
    model.gate!.open();
    await started.answer.settled;
    expect((await getConversation(t.store, { id: started.conversationId, isAnswering })).answering).toBe(false);
    expect((await listConversations(t.store, { limit: 5, isAnswering }))[0]?.answering).toBe(false);
  });
});
