import { describe, expect, it } from "vitest";
import { fitContext, reservedAnswerTokens } from "./context-fit";
import { EngineError, type ChatTurn } from "./types";

/** One token per character plus 2 per message: easy to count by hand. */
const encode = (messages: readonly ChatTurn[]) => messages.flatMap((m) => [0, ...Array.from(m.content, () => 1), 0]);

const sys: ChatTurn = { role: "system", content: "S".repeat(8) }; // 10 tokens
const u = (n: number, len = 18): ChatTurn => ({ role: "user", content: `u${n}`.padEnd(len, ".") }); // 20 tokens
const a = (n: number, len = 18): ChatTurn => ({ role: "assistant", content: `a${n}`.padEnd(len, ".") });

describe("fitContext", () => {
  it("keeps everything when it fits", () => {
    const messages = [sys, u(1), a(1), u(2)];
    const r = fitContext(messages, encode, { maxPositions: 200, maxNewTokens: 50 });
    expect(r.droppedTurns).toBe(0);
    expect(r.messages).toEqual(messages);
    expect(r.ids).toEqual(encode(messages));
  });

  it("drops the oldest exchanges whole, keeping the system prompt and the newest message", () => {
    const messages = [sys, u(1), a(1), u(2), a(2), u(3), a(3), u(4)]; // 10 + 7×20 = 150 tokens
    // budget 120 - 20 = 100: system + u3 a3 u4 = 70 fits, adding u2 a2 = 110 does not.
    const r = fitContext(messages, encode, { maxPositions: 120, maxNewTokens: 20 });
    expect(r.messages).toEqual([sys, u(3), a(3), u(4)]);
    expect(r.droppedTurns).toBe(4);
    expect(r.ids.length).toBe(70);
    expect(r.reservedTokens).toBe(20);
  });

  it("drops a user message together with all the answers that follow it", () => {
    const messages = [u(1), a(1), a(9), u(2), a(2), u(3)]; // no system prompt
    const r = fitContext(messages, encode, { maxPositions: 100, maxNewTokens: 20 }); // budget 80
    expect(r.messages).toEqual([u(2), a(2), u(3)]);
    expect(r.droppedTurns).toBe(3);
  });

  it("can drop the whole history", () => {
    const messages = [sys, u(1, 60), a(1, 60), u(2)];
    const r = fitContext(messages, encode, { maxPositions: 60, maxNewTokens: 15 });
    expect(r.messages).toEqual([sys, u(2)]);
    expect(r.droppedTurns).toBe(2);
  });

  it("throws context_overflow with the numbers when the newest message alone does not fit", () => {
    const messages = [sys, u(1), u(2, 98)]; // system 10 + 100 = 110
    let error: unknown;
    try {
      fitContext(messages, encode, { maxPositions: 120, maxNewTokens: 20 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe("context_overflow");
    expect((error as EngineError).message).toMatch(/110 tokens.*20 tokens reserved.*10 more.*120 tokens/);
  });

  it("caps the reserve at a quarter of the context", () => {
    expect(reservedAnswerTokens(2048, 4096)).toBe(1024);
    expect(reservedAnswerTokens(512, 4096)).toBe(512);
    expect(reservedAnswerTokens(0, 4096)).toBe(1);
  });
});
