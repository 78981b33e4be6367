/**
 * Issue 10 finding 5 at the engine: a long conversation's next turn tokenizes only what it keeps. The engine
 * must use the per-message fitter whenever the tokenizer offers one (the whole-prompt fitter tokenized all
 * 1,500 messages, then again while searching, before the answer could start).
 */
import { describe, expect, it } from "vitest";
import type { ChatTokenizer } from "./chat-prompt";
import { createEngine } from "./create-engine";
import { FakeRunner, fakeTokenizer } from "./testing/fake-model";
import type { ChatTurn, EngineEvent } from "./types";

describe("context fitting in the engine", () => {
  it("a 1,501-message conversation: each kept message tokenized once, the dropped ones never, no whole-prompt encode", async () => {
    const base = fakeTokenizer();
    const encodedTurns: ChatTurn[] = [];
    let wholePrompts = 0;
    const tokenizer: ChatTokenizer = {
      ...base,
      encodeChat: (messages, options) => (wholePrompts++, base.encodeChat(messages, options)),
      turns: { ...base.turns!, encodeTurn: (m) => (encodedTurns.push(m), base.turns!.encodeTurn(m)) },
    };
    const engine = createEngine({ runner: new FakeRunner({ maxPositions: 512 }), tokenizer });
    const messages: ChatTurn[] = Array.from({ length: 1_500 }, (_, i) => ({
      role: i % 2 === 0 ? "user" : "assistant",
      content: `${i}: an earlier turn of about a hundred characters, long enough to cost tokens.`,
    }));
    messages.push({ role: "user", content: "And now?" });

    let start: Extract<EngineEvent, { type: "start" }> | undefined;
    const params = { temperature: 0, topP: 1, topK: 0, maxNewTokens: 4, repetitionPenalty: 1, speculative: false };
    for await (const event of engine.generate({ messages, params })) if (event.type === "start") start = event;

    const kept = messages.length - start!.droppedTurns;
    expect(start!.droppedTurns).toBeGreaterThan(1_490);
    expect(wholePrompts).toBe(0);
    expect(new Set(encodedTurns).size).toBe(encodedTurns.length);
    // The kept messages plus at most the one exchange that was tried and did not fit.
    expect(encodedTurns.length).toBeLessThanOrEqual(kept + 2);
    expect(encodedTurns.every((m) => messages.indexOf(m) >= messages.length - kept - 2)).toBe(true);
  });
});
