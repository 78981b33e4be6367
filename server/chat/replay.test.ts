/** `mode: "replay"` on the scripted fake model: where the new version goes, what it is run with, the verdict, the refusals. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatRequestSchema, type ChatRequest } from "@/lib/schemas/chat";
import * as conversationsRepo from "@/server/db/conversations-repo";
import { eq } from "drizzle-orm";
import { messageTokens } from "@/server/db/schema";
import * as messagesRepo from "@/server/db/messages-repo";
import { openTempDb, tableCounts, type TempDb } from "@/server/db/testing/temp-db";
import { createTestEngine } from "@/server/engine/testing/test-engine";
import type { Engine } from "@/server/engine/types";
import { sendMessage } from "./send-message";
import { getConversation } from "./conversations";
import { collectEvents, eventOf } from "./testing/collect";

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(() => t.dispose());

function send(engine: Engine, body: ChatRequest) {
  return sendMessage({ db: t.store, engine, request: chatRequestSchema.parse(body), signal: new AbortController().signal });
}

async function answered(text: string, params: ChatRequest["params"] = { temperature: 0.8, seed: null }) {
  const first = await send(createTestEngine({ answer: text }).engine, { content: "question", params });
  await collectEvents(first.events);
  const [question, answer] = messagesRepo.listMessages(t.db, { conversationId: first.conversationId });
  return { conversationId: first.conversationId, question, answer };
}

describe("replay", () => {
  it("adds a version under the same question, run with the answer's stored settings and seed, and reports identical", async () => {
    const { conversationId, question, answer } = await answered("same words", { temperature: 0.8, seed: null, systemPrompt: "Original system." });
    conversationsRepo.updateConversationParams(t.db, { id: conversationId, params: { ...answer.params!, systemPrompt: "Changed.", seed: null, temperature: 0 }, updatedAt: new Date() });
    const fake = createTestEngine({ answer: "same words" });
    const replay = await send(fake.engine, { conversationId, mode: "replay", messageId: answer.id });
    const done = eventOf(await collectEvents(replay.events), "done");
    expect(done.data.replay).toEqual({ of: answer.id, identical: true, compared: "tokens", divergedAtToken: null, divergedAtChar: null });
    expect(fake.requests[0].params).toMatchObject({ temperature: 0.8, seed: answer.params!.seed });
    expect(fake.requests[0].messages[0]).toEqual({ role: "system", content: "Original system." });
    const stored = messagesRepo.getMessage(t.db, { id: done.data.messageId })!;
    expect(stored).toMatchObject({ parentId: question.id, content: "same words", params: answer.params });
    expect(conversationsRepo.getConversation(t.db, { id: conversationId })).toMatchObject({ activeLeafId: stored.id, params: { systemPrompt: "Changed.", seed: null } });
  });

  it("reports the first differing token and character (code points) when the answers diverge", async () => {
    const { conversationId, answer } = await answered("naïve 🙂 cats");
    const replay = await send(createTestEngine({ answer: "naïve 🙂 dogs" }).engine, { conversationId, mode: "replay", messageId: answer.id });
    // The fake model writes one byte per token: "ï" and "🙂" are 2 and 4 tokens.
    const done = eventOf(await collectEvents(replay.events), "done");
    const verdict = { of: answer.id, identical: false, compared: "tokens", divergedAtToken: 12, divergedAtChar: 8 };
    expect(done.data.replay).toEqual(verdict);
    // Stored with the answer, so a reload (or another tab) shows it too; the original answer has none.
    const shown = (await getConversation(t.store, { id: conversationId })).messages;
    expect(shown.find((m) => m.id === done.data.messageId)?.replay).toEqual(verdict);
    expect(messagesRepo.getMessage(t.db, { id: answer.id })!.replay ?? null).toBeNull();
  });

  it("compares by text when the replayed answer has no token records (written before the token view)", async () => {
    const { conversationId, answer } = await answered("same words");
    t.db.delete(messageTokens).where(eq(messageTokens.messageId, answer.id)).run();
    const replay = await send(createTestEngine({ answer: "same words" }).engine, { conversationId, mode: "replay", messageId: answer.id });
    expect(eventOf(await collectEvents(replay.events), "done").data.replay).toEqual({ of: answer.id, identical: true, compared: "text", divergedAtToken: null, divergedAtChar: null });
  });

  it("needs messageId and refuses params (400 fields); refuses a question or an answer without a seed (409), writing nothing", async () => {
    const parse = (body: unknown) => chatRequestSchema.safeParse(body);
    expect(parse({ conversationId: "c", mode: "replay" }).error?.issues.map((i) => i.path.join("."))).toEqual(["messageId"]);
    expect(parse({ conversationId: "c", mode: "replay", messageId: "m", params: { seed: 1 } }).error?.issues.map((i) => i.path.join("."))).toEqual(["params"]);

    const { conversationId, question, answer } = await answered("text");
    const counts = tableCounts(t);
    const engine = createTestEngine().engine;
    await expect(send(engine, { conversationId, mode: "replay", messageId: question.id })).rejects.toThrow(expect.objectContaining({ kind: "conflict", field: "messageId" }));
    await expect(send(engine, { conversationId, mode: "replay", messageId: "nope" })).rejects.toThrow(expect.objectContaining({ kind: "not_found", field: "messageId" }));
    messagesRepo.updateMessage(t.db, { id: answer.id, patch: { params: { ...answer.params!, seed: null } } });
    await expect(send(engine, { conversationId, mode: "replay", messageId: answer.id })).rejects.toThrow(/no recorded seed/);
    expect(tableCounts(t)).toEqual(counts);
  });
});
