/** Compare pairs (`mode: "compare"`) on the scripted fake model: writes, events, one-unit registry semantics, rollbacks. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatRequestSchema, type ChatRequest } from "@/lib/schemas/chat";
import type { ChatEvent } from "@/lib/schemas/events";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import * as conversationsRepo from "@/server/db/conversations-repo";
import * as messagesRepo from "@/server/db/messages-repo";
import { checkFtsIntegrity, openTempDb, tableCounts, type TempDb } from "@/server/db/testing/temp-db";
import { createTestEngine, type TestEngine } from "@/server/engine/testing/test-engine";
import type { Engine } from "@/server/engine/types";
import { AnswerRegistry } from "./answer-registry";
import { followAnswer, stopAnswer } from "./answer-control";
import { startAnswer } from "./start-answer";
import { startCompare } from "./start-compare";
import { collectEvents } from "./testing/collect";
import { until } from "./testing/until";

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

const VARIANTS = [{ temperature: 0 }, { temperature: 0.8, systemPrompt: "Answer like a pirate." }];

function compare(engine: Engine, body: Partial<ChatRequest> = {}) {
  const request = chatRequestSchema.parse({ mode: "compare", content: "Which is better?", params: { speculative: false, seed: 5 }, variants: VARIANTS, ...body });
  return startCompare({ db: t.store, engine, registry, request });
}

const messagesOf = (conversationId: string) => messagesRepo.listMessages(t.db, { conversationId });
const sideOf = (e: ChatEvent) => ("answer" in e.data ? e.data.answer : undefined);

async function steps(model: TestEngine, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await until(() => model.gate!.waiting() > 0);
    model.gate!.step();
  }
}

describe("compare pairs", () => {
  it("stores one question with two answer versions, each run and saved with its own settings; events tagged by side", async () => {
    const model = createTestEngine({ answer: "Both." });
    const started = await compare(model.engine);
    const events = await collectEvents(started.events);
    const rows = messagesOf(started.conversationId);
    expect(rows.map((m) => [m.role, m.content, m.status])).toEqual([
      ["user", "Which is better?", "complete"],
      ["assistant", "Both.", "complete"],
      ["assistant", "Both.", "complete"],
    ]);
    const [question, left, right] = rows;
    expect(left.parentId).toBe(question.id);
    expect(right.parentId).toBe(question.id);
    expect(left.params).toEqual({ ...DEFAULT_GENERATION_PARAMS, speculative: false, seed: 5, temperature: 0 });
    expect(right.params).toEqual({ ...DEFAULT_GENERATION_PARAMS, speculative: false, seed: 5, temperature: 0.8, systemPrompt: "Answer like a pirate." });
    // The conversation keeps the request's settings; the left answer is the active branch until the user keeps another.
    const conversation = conversationsRepo.getConversation(t.db, { id: started.conversationId })!;
    expect(conversation.params).toEqual({ ...DEFAULT_GENERATION_PARAMS, speculative: false, seed: 5 });
    expect(conversation.activeLeafId).toBe(left.id);
    // Each side reached the engine with its own sampling settings and system prompt.
    expect(model.requests.map((r) => [r.params.temperature, r.messages[0]])).toEqual([
      [0, { role: "system", content: DEFAULT_GENERATION_PARAMS.systemPrompt }],
      [0.8, { role: "system", content: "Answer like a pirate." }],
    ]);

    expect(events[0]).toEqual({
      event: "compare",
      data: {
        conversationId: started.conversationId,
        userMessageId: question.id,
        title: "Which is better?",
        answers: [
          { messageId: left.id, params: left.params, text: "", phase: "prefill", queuePosition: null, ended: false, status: null },
          { messageId: right.id, params: right.params, text: "", phase: "prefill", queuePosition: null, ended: false, status: null },
        ],
      },
    });
    for (const side of [0, 1]) {
      const own = events.filter((e) => sideOf(e) === side);
      expect(own.filter((e) => e.event === "token").map((e) => (e.data as { text: string }).text).join("")).toBe("Both.");
      expect(own.at(-1)).toMatchObject({ event: "done", data: { messageId: rows[side + 1].id, status: "complete", answer: side } });
    }
    // One sequence at a time on this engine: the right answer waited in line behind the left one.
    expect(events.find((e) => e.event === "queued")).toMatchObject({ data: { position: 1, answer: 1 } });
    expect(registry.isAnswering(started.conversationId)).toBe(false);
    checkFtsIntegrity(t);
  });

  it("is one unit: 409 for another request meanwhile, /stream follows both, Stop stops both (the waiting one is taken back)", async () => {
    const model = createTestEngine({ answer: "A long enough answer to stop in the middle.", gated: true });
    const started = await compare(model.engine);
    await steps(model, 3);
    await expect(startAnswer({ db: t.store, engine: model.engine, registry, request: chatRequestSchema.parse({ conversationId: started.conversationId, content: "again" }) }))
      .rejects.toThrow(expect.objectContaining({ kind: "answering" }));
    await expect(compare(model.engine, { conversationId: started.conversationId })).rejects.toThrow(expect.objectContaining({ kind: "answering" }));

    const follower = (await followAnswer(t.store, { registry, id: started.conversationId, signal: new AbortController().signal }))!;
    const first = (await follower.next()).value as Extract<ChatEvent, { event: "compare" }>;
    expect(first.event).toBe("compare");
    // The left side has streamed a few tokens (how many reached the snapshot depends on how many
    // ticks the awaited 409 checks took); the right one waits.
    expect(first.data.answers.map((a) => [a.phase, a.ended])).toEqual([
      ["generating", false],
      ["queued", false],
    ]);
    expect(first.data.answers[0]!.text).toMatch(/^A ./);
    expect(first.data.answers[1]!.text).toBe("");

    const stopping = stopAnswer(t.store, { registry, id: started.conversationId });
    // The model sits at its next step's gate; opened, it sees the abort before stepping.
    model.gate!.open();
    const [left, right] = first.data.answers;
    expect(await stopping).toEqual({
      messageId: left.messageId,
      status: "stopped",
      answers: [
        { messageId: left.messageId, status: "stopped" },
        { messageId: right.messageId, status: null },
      ],
    });
    const rest = await collectEvents(follower);
    expect(rest.filter((e) => e.event === "done" || e.event === "error").map((e) => [e.event, sideOf(e)])).toEqual(
      expect.arrayContaining([["done", 0], ["error", 1]]),
    );
    // The right answer never started: its placeholder is gone, the stopped left answer stays active.
    expect(messagesOf(started.conversationId).map((m) => [m.id, m.status])).toEqual([
      [first.data.userMessageId, "complete"],
      [left.messageId, "stopped"],
    ]);
    expect(conversationsRepo.getConversation(t.db, { id: started.conversationId })?.activeLeafId).toBe(left.messageId);
    expect(registry.isAnswering(started.conversationId)).toBe(false);
  });

  it("a pair that never started (cancelled while queued) leaves nothing behind; the right side alone refused is taken back alone", async () => {
    const existing = await compare(createTestEngine({ answer: "kept" }).engine, { content: "first question" });
    await collectEvents(existing.events);
    const before = messagesOf(existing.conversationId).map((m) => m.id);
    const counts = tableCounts(t);

    // A model busy elsewhere, with room for one waiting job: left waits, right is refused (busy).
    const held = createTestEngine({ answer: "x", gated: true, maxQueue: 1 });
    const occupying = await startAnswer({ db: t.store, engine: held.engine, registry, request: chatRequestSchema.parse({ content: "occupy" }) });
    await until(() => held.gate!.waiting() > 0);
    const pair = await compare(held.engine, { conversationId: existing.conversationId, content: "second question" });
    const events: ChatEvent[] = [];
    const reading = (async () => {
      for await (const e of pair.events) events.push(e);
    })();
    await until(() => events.some((e) => e.event === "error"));
    expect(events.find((e) => e.event === "error")).toMatchObject({ data: { code: "busy", answer: 1 } });
    expect(messagesOf(existing.conversationId)).toHaveLength(before.length + 2);

    await stopAnswer(t.store, { registry, id: existing.conversationId });
    await reading;
    expect(events.filter((e) => e.event === "error").map((e) => [(e.data as { code: string }).code, sideOf(e)])).toEqual([["busy", 1], ["cancelled", 0]]);
    expect(messagesOf(existing.conversationId).map((m) => m.id)).toEqual(before);
    expect(conversationsRepo.getConversation(t.db, { id: existing.conversationId })?.activeLeafId).toBe(before.at(-2));
    expect(tableCounts(t)).toEqual({ conversations: counts.conversations + 1, messages: counts.messages + 2 });
    held.gate!.open();
    await occupying.answer.settled;
    checkFtsIntegrity(t);
  });

  it("validates: variants required for compare (exactly two), only for compare, each checked field by field", async () => {
    const fields = (body: unknown) => chatRequestSchema.safeParse(body).error?.issues.map((i) => i.path.join("."));
    expect(fields({ mode: "compare", content: "q" })).toEqual(["variants"]);
    expect(fields({ mode: "compare", content: "q", variants: [{}] })).toEqual(["variants"]);
    expect(fields({ mode: "compare", variants: [{}, {}] })).toEqual(["content"]);
    expect(fields({ mode: "compare", content: "q", variants: [{}, { temperature: 9 }] })).toEqual(["variants.1.temperature"]);
    expect(fields({ content: "q", variants: [{}, {}] })).toEqual(["variants"]);
  });
});
