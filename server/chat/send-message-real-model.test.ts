/** The chat use case on the real engine and ONNX runner with the tiny test checkpoint. */
import { describe, expect, it } from "vitest";
import { chatRequestSchema } from "@/lib/schemas/chat";
import * as messagesRepo from "@/server/db/messages-repo";
import { sendMessage } from "./send-message";
import { tinyModelSuite } from "./testing/tiny-model";
import { collectEvents, eventOf, textOf } from "./testing/collect";

const tiny = tinyModelSuite();

describe("sendMessage with the tiny ONNX model", () => {
  it("streams exactly maxNewTokens token events and stores exactly the streamed text with its stats", async () => {
    const request = chatRequestSchema.parse({ content: "Hello, tiny model!", params: { maxNewTokens: 5, temperature: 0, seed: 1 } });
    const result = await sendMessage({ db: tiny.t.store, engine: tiny.engine, request, signal: new AbortController().signal });
    const events = await collectEvents(result.events);
    const tokens = events.filter((e) => e.event === "token");
    // The tiny random model does not end its turn within 5 tokens here: the answer runs to the limit.
    expect(tokens.length).toBe(5);
    const done = eventOf(events, "done");
    expect(done.data.stats).toMatchObject({ completionTokens: 5, stopReason: "length" });
    const [user, assistant] = messagesRepo.listMessages(tiny.t.db, { conversationId: result.conversationId });
    expect(user.content).toBe("Hello, tiny model!");
    expect(assistant).toMatchObject({ content: textOf(events), status: "complete", stats: done.data.stats });
    expect(assistant.stats?.promptTokens).toBe(eventOf(events, "start").data.promptTokens);

    // Greedy decoding is deterministic: regenerating gives the same answer.
    const again = await sendMessage({
      db: tiny.t.store,
      engine: tiny.engine,
      request: chatRequestSchema.parse({ conversationId: result.conversationId, content: "x", mode: "regenerate" }),
      signal: new AbortController().signal,
    });
    expect(textOf(await collectEvents(again.events))).toBe(textOf(events));
  });

  it("records the seed a random-seed answer used; replaying with the stored settings gives identical text", async () => {
    const ask = (body: Record<string, unknown>) =>
      sendMessage({ db: tiny.t.store, engine: tiny.engine, request: chatRequestSchema.parse(body), signal: new AbortController().signal });
    const first = await ask({ content: "Tell me a story", params: { maxNewTokens: 24, temperature: 0.8, topP: 0.95, topK: 100, seed: null } });
    const original = textOf(await collectEvents(first.events));
    const [, answer] = messagesRepo.listMessages(tiny.t.db, { conversationId: first.conversationId });
    // The drawn seed is stored with the answer; the conversation's setting stays "random".
    expect(answer.params?.seed).toEqual(expect.any(Number));
    expect(answer.params).toMatchObject({ temperature: 0.8, topP: 0.95, topK: 100, maxNewTokens: 24 });

    const replay = await ask({ conversationId: first.conversationId, mode: "regenerate", messageId: answer.id, params: answer.params });
    expect(textOf(await collectEvents(replay.events))).toBe(original);

    // The seed is what makes it identical: another seed samples another answer.
    const other = await ask({ conversationId: first.conversationId, mode: "regenerate", messageId: answer.id, params: { ...answer.params, seed: (answer.params!.seed! + 1) % 2 ** 32 } });
    expect(textOf(await collectEvents(other.events))).not.toBe(original);
  });

  it("mode replay re-runs a sampled (temperature 0.8) answer with its own settings and seed: identical text, and says so", async () => {
    const ask = (body: Record<string, unknown>) =>
      sendMessage({ db: tiny.t.store, engine: tiny.engine, request: chatRequestSchema.parse(body), signal: new AbortController().signal });
    const first = await ask({ content: "Sing me a song", params: { maxNewTokens: 32, temperature: 0.8, topP: 0.95, topK: 100, seed: null, systemPrompt: "Rhyme." } });
    const original = textOf(await collectEvents(first.events));
    const [, answer] = messagesRepo.listMessages(tiny.t.db, { conversationId: first.conversationId });
    // The conversation's settings change afterwards; the replay still uses the answer's own.
    const changed = await ask({ conversationId: first.conversationId, content: "Another", params: { temperature: 1.5, systemPrompt: "Be terse." } });
    await collectEvents(changed.events);

    const replay = await ask({ conversationId: first.conversationId, mode: "replay", messageId: answer.id });
    const events = await collectEvents(replay.events);
    expect(textOf(events)).toBe(original);
    expect(eventOf(events, "done").data.replay).toEqual({ of: answer.id, identical: true, compared: "tokens", divergedAtToken: null, divergedAtChar: null });
    const stored = messagesRepo.getMessage(tiny.t.db, { id: replay.turn.assistantMessageId });
    expect(stored).toMatchObject({ parentId: answer.parentId, content: original, params: answer.params });
  });
});
