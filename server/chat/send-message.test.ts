import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChatError } from "./chat-error";
import { chatRequestSchema, type ChatRequest } from "@/lib/schemas/chat";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import * as conversationsRepo from "@/server/db/conversations-repo";
import * as messagesRepo from "@/server/db/messages-repo";
import { searchConversations } from "@/server/db/search-repo";
import { checkFtsIntegrity, openTempDb, tableCounts, type TempDb } from "@/server/db/testing/temp-db";
import type { Engine } from "@/server/engine/types";
import { sendMessage } from "./send-message";
import { collectEvents, eventOf, textOf } from "./testing/collect";
import { createTestEngine } from "@/server/engine/testing/test-engine";

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(() => t.dispose());

function send(engine: Engine, body: ChatRequest, signal = new AbortController().signal) {
  return sendMessage({ db: t.store, engine, request: chatRequestSchema.parse(body), signal });
}

const messagesOf = (conversationId: string) => messagesRepo.listMessages(t.db, { conversationId });

describe("sendMessage", () => {
  it("creates the conversation, streams the answer and stores both messages with stats and params", async () => {
    const { engine } = createTestEngine({ answer: "Hello world" });
    const result = await send(engine, { content: "  What is   BitNet, and why is it so small? Tell me everything you know about it  ", params: { temperature: 0, seed: 7 } });
    // The user message is stored before generation starts.
    expect(messagesOf(result.conversationId).map((m) => m.role)).toEqual(["user", "assistant"]);
    const events = await collectEvents(result.events);

    const names = events.map((e) => e.event);
    expect(names[0]).toBe("start");
    expect(names.at(-1)).toBe("done");
    const start = eventOf(events, "start");
    expect(start.data.conversationId).toBe(result.conversationId);
    expect(start.data.title).toBe("What is BitNet, and why is it so small? Tell me everything…");
    expect(start.data.promptTokens).toBeGreaterThan(10);
    expect(textOf(events)).toBe("Hello world");
    const done = eventOf(events, "done");
    expect(done.data).toMatchObject({ messageId: start.data.assistantMessageId, status: "complete" });
    expect(done.data.stats).toMatchObject({ completionTokens: 11, stopReason: "eos" });

    const stored = messagesOf(result.conversationId);
    expect(stored.map((m) => [m.id, m.role, m.status])).toEqual([
      [start.data.userMessageId, "user", "complete"],
      [start.data.assistantMessageId, "assistant", "complete"],
    ]);
    expect(stored[1]).toMatchObject({ content: "Hello world", stats: { ...done.data.stats, completionTokens: 11, promptTokens: start.data.promptTokens } });
    expect(stored[1].params).toEqual({ ...DEFAULT_GENERATION_PARAMS, temperature: 0, seed: 7 });
    const conversation = conversationsRepo.getConversation(t.db, { id: result.conversationId });
    expect(conversation?.params).toEqual({ ...DEFAULT_GENERATION_PARAMS, temperature: 0, seed: 7 });
    expect(searchConversations(t.db, { query: "hello", limit: 5 })[0]?.snippet).toContain("«Hello»");
  });

  it("continues a conversation with its history, keeping stored params and merging new ones", async () => {
    const { engine, runner } = createTestEngine({ answer: "ok" });
    const first = await send(engine, { content: "first question", params: { temperature: 0, systemPrompt: "Be terse." } });
    await collectEvents(first.events);
    const second = await send(engine, { conversationId: first.conversationId, content: "second question", params: { topK: 5 } });
    await collectEvents(second.events);
    expect(messagesOf(first.conversationId).map((m) => m.content)).toEqual(["first question", "ok", "second question", "ok"]);
    const prompt = new TextDecoder().decode(new Uint8Array(runner.ids.filter((id) => id < 256)));
    expect(prompt).toContain("System: Be terse.");
    expect(prompt).toContain("User: first question");
    expect(prompt).toContain("Assistant: ok");
    expect(prompt).toContain("User: second question");
    expect(conversationsRepo.getConversation(t.db, { id: first.conversationId })?.params).toMatchObject({ temperature: 0, systemPrompt: "Be terse.", topK: 5 });
  });

  it("regenerate adds a new version of the last answer under the same question, and shows it", async () => {
    const first = await send(createTestEngine({ answer: "old answer" }).engine, { content: "question" });
    const firstEvents = await collectEvents(first.events);
    const before = messagesOf(first.conversationId);
    const again = await send(createTestEngine({ answer: "new answer" }).engine, { conversationId: first.conversationId, content: "question", mode: "regenerate" });
    const events = await collectEvents(again.events);
    expect(eventOf(events, "start").data.userMessageId).toBe(before[0].id);
    const after = messagesOf(first.conversationId);
    expect(after.map((m) => [m.content, m.parentId])).toEqual([
      ["question", null],
      ["old answer", before[0].id],
      ["new answer", before[0].id],
    ]);
    expect(after[1].id).toBe(eventOf(firstEvents, "done").data.messageId);
    expect(conversationsRepo.getConversation(t.db, { id: first.conversationId })?.activeLeafId).toBe(eventOf(events, "done").data.messageId);
    // Search looks at the branch on screen only.
    expect(searchConversations(t.db, { query: "old", limit: 5 })).toEqual([]);
    expect(searchConversations(t.db, { query: "new", limit: 5 })).toHaveLength(1);
  });

  it("edit adds a new version of the last question with its answer, and retitles an automatic title", async () => {
    const { engine } = createTestEngine({ answer: "answer" });
    const first = await send(engine, { content: "tpyo question" });
    await collectEvents(first.events);
    const edited = await send(engine, { conversationId: first.conversationId, content: "typo question", mode: "edit" });
    const events = await collectEvents(edited.events);
    expect(eventOf(events, "start").data.title).toBe("typo question");
    const rows = messagesOf(first.conversationId);
    expect(rows.map((m) => [m.role, m.content])).toEqual([
      ["user", "tpyo question"],
      ["assistant", "answer"],
      ["user", "typo question"],
      ["assistant", "answer"],
    ]);
    expect(rows[2].parentId).toBeNull();
    expect(rows[3].parentId).toBe(rows[2].id);
    expect(conversationsRepo.getConversation(t.db, { id: first.conversationId })?.title).toBe("typo question");
    checkFtsIntegrity(t);
  });

  it("stop keeps the partial answer, marked stopped", async () => {
    const { engine, gate } = createTestEngine({ answer: "a long answer that will be cut", gated: true });
    const controller = new AbortController();
    const result = await send(engine, { content: "talk" }, controller.signal);
    const events: string[] = [];
    let tokens = 0;
    gate!.open();
    for await (const event of result.events) {
      events.push(event.event);
      if (event.event === "token" && ++tokens === 3) controller.abort();
    }
    const stored = messagesOf(result.conversationId)[1];
    expect(stored.status).toBe("stopped");
    expect(stored.content.length).toBeGreaterThanOrEqual(3);
    expect("a long answer that will be cut".startsWith(stored.content)).toBe(true);
    expect(stored.content.length).toBeLessThan("a long answer that will be cut".length);
    expect(stored.stats?.stopReason).toBe("abort");
    expect(events.at(-1)).toBe("done");
  });

  it("a client that goes away mid-answer (iteration ended early) still gets its partial answer saved", async () => {
    const { engine } = createTestEngine({ answer: "partial answer" });
    const result = await send(engine, { content: "hi" });
    for await (const event of result.events) if (event.event === "token") break;
    const stored = messagesOf(result.conversationId)[1];
    expect(stored.status).toBe("stopped");
    expect(stored.content).toBe("p");
  });

  it("a model failure after start keeps the text so far, marked error with the message", async () => {
    // Call 1 is the prefill, then one call per token: fail on the 4th token.
    const { engine } = createTestEngine({ answer: "abcdefgh", runner: { failOnCall: 5 } });
    const result = await send(engine, { content: "hi" });
    const events = await collectEvents(result.events);
    const done = eventOf(events, "done");
    expect(done.data.status).toBe("error");
    expect(done.data.error).toMatch(/fake forward failure/);
    const stored = messagesOf(result.conversationId)[1];
    expect(stored).toMatchObject({ status: "error", content: textOf(events) });
    expect(stored.error).toMatch(/fake forward failure/);
  });

  it("busy before start: an error event, and the request leaves nothing behind (previous answer restored)", async () => {
    const held = createTestEngine({ answer: "first", gated: true, maxQueue: 0 });
    // A conversation with an answer, made with a free engine.
    const existing = await send(createTestEngine({ answer: "kept answer" }).engine, { content: "question" });
    await collectEvents(existing.events);
    const before = messagesOf(existing.conversationId).map((m) => [m.id, m.content, m.status]);
    const beforeCounts = tableCounts(t);

    const occupying = await send(held.engine, { content: "occupy the model" });
    const occupyingIterator = occupying.events[Symbol.asyncIterator]();
    const firstEvent = occupyingIterator.next(); // enters the model, then waits at the gate
    await new Promise((r) => setTimeout(r, 20));

    const regenerate = await send(held.engine, { conversationId: existing.conversationId, content: "question", mode: "regenerate" });
    const rejectedNew = await send(held.engine, { content: "new chat while busy" });
    const regenerateEvents = await collectEvents(regenerate.events);
    const newEvents = await collectEvents(rejectedNew.events);
    expect(regenerateEvents).toEqual([{ event: "error", data: { code: "busy", message: expect.any(String), conversationId: existing.conversationId } }]);
    expect(newEvents).toEqual([{ event: "error", data: { code: "busy", message: expect.any(String) } }]);
    expect(messagesOf(existing.conversationId).map((m) => [m.id, m.content, m.status])).toEqual(before);
    expect(conversationsRepo.getConversation(t.db, { id: rejectedNew.conversationId })).toBeUndefined();
    expect(tableCounts(t)).toEqual({ conversations: beforeCounts.conversations + 1, messages: beforeCounts.messages + 2 });
    checkFtsIntegrity(t);

    held.gate!.open();
    await firstEvent;
    for (let r = await occupyingIterator.next(); !r.done; r = await occupyingIterator.next());
  });

  it("a message too long for the context: context_overflow error and nothing stored", async () => {
    const { engine } = createTestEngine({ runner: { maxPositions: 64 } });
    const result = await send(engine, { content: "x".repeat(500) });
    const events = await collectEvents(result.events);
    expect(events).toHaveLength(1);
    expect(eventOf(events, "error").data.code).toBe("context_overflow");
    expect(tableCounts(t)).toEqual({ conversations: 0, messages: 0 });
  });

  it("cancelled while queued: rolled back like a busy refusal (new chat gone, regenerated answer restored)", async () => {
    const existing = await send(createTestEngine({ answer: "kept answer" }).engine, { content: "question" });
    await collectEvents(existing.events);
    const before = messagesOf(existing.conversationId).map((m) => [m.id, m.content, m.status]);
    const beforeCounts = tableCounts(t);

    const held = createTestEngine({ answer: "x", gated: true });
    const occupying = await send(held.engine, { content: "first" });
    const iterator = occupying.events[Symbol.asyncIterator]();
    const pending = iterator.next();
    await new Promise((r) => setTimeout(r, 20));
    const controller = new AbortController();
    const queuedNew = await send(held.engine, { content: "second" }, controller.signal);
    const queuedRegenerate = await send(held.engine, { conversationId: existing.conversationId, content: "question", mode: "regenerate" }, controller.signal);
    const newIterator = queuedNew.events[Symbol.asyncIterator]();
    const regenerateIterator = queuedRegenerate.events[Symbol.asyncIterator]();
    expect((await newIterator.next()).value).toEqual({ event: "queued", data: { position: 1, conversationId: queuedNew.conversationId, title: "second" } });
    expect((await regenerateIterator.next()).value).toMatchObject({ event: "queued", data: { position: 2 } });
    controller.abort();
    const rest = async (it: AsyncIterator<unknown>) => {
      const all: unknown[] = [];
      for (let r = await it.next(); !r.done; r = await it.next()) all.push(r.value);
      return all;
    };
    expect(await rest(newIterator)).toEqual([{ event: "error", data: { code: "cancelled", message: expect.any(String) } }]);
    expect(await rest(regenerateIterator)).toEqual([
      { event: "error", data: { code: "cancelled", message: expect.any(String), conversationId: existing.conversationId } },
    ]);
    expect(conversationsRepo.getConversation(t.db, { id: queuedNew.conversationId })).toBeUndefined();
    expect(messagesOf(existing.conversationId).map((m) => [m.id, m.content, m.status])).toEqual(before);
    // Only the occupying turn (question + placeholder) was added.
    expect(tableCounts(t)).toEqual({ conversations: beforeCounts.conversations + 1, messages: beforeCounts.messages + 2 });
    checkFtsIntegrity(t);
    held.gate!.open();
    await pending;
    for (let r = await iterator.next(); !r.done; r = await iterator.next());
  });

  it("keeps the code of an EngineError thrown by another bundle's copy of the class", async () => {
    const foreign = Object.assign(new Error("Queue full"), { name: "EngineError", code: "busy" });
    const engine: Engine = {
      contextLength: 64,
      queueLength: () => 1,
      async *generate() {
        throw foreign;
      },
    };
    const events = await collectEvents((await send(engine, { content: "hi" })).events);
    expect(events).toEqual([{ event: "error", data: { code: "busy", message: "Queue full" } }]);
    expect(tableCounts(t)).toEqual({ conversations: 0, messages: 0 });
  });

  it("rejects unknown conversations and modes that need one, writing nothing", async () => {
    const { engine } = createTestEngine();
    await expect(send(engine, { conversationId: "missing", content: "hi" })).rejects.toThrow(expect.objectContaining({ kind: "not_found", field: "conversationId" }));
    const regenerate = () => send(engine, { content: "hi", mode: "regenerate" });
    await expect(regenerate()).rejects.toThrow(ChatError);
    await expect(regenerate()).rejects.toThrow(expect.objectContaining({ kind: "invalid", field: "conversationId" }));
    expect(tableCounts(t)).toEqual({ conversations: 0, messages: 0 });
  });
});
