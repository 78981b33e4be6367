import { describe, expect, it } from "vitest";
import type { TurnEncoder } from "./chat-prompt";
import { fitContext, fitContextByTurns, reservedAnswerTokens } from "./context-fit";
import { EngineError, type ChatTurn } from "./types";
import { createRng } from "@/lib/seeded-rng";

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

describe("fitContextByTurns", () => {
  /** The same 1 token per character + 2 per message, one message at a time, counting every call. */
  function counting() {
    const calls: ChatTurn[] = [];
    const turns: TurnEncoder = {
      prefix: [],
      suffix: [],
      encodeTurn: async (m) => {
        calls.push(m);
        return encode([m]);
      },
      encodeContinuation: async (partial) => encode([{ role: "assistant", content: partial }]),
    };
    return { turns, calls };
  }

  it("gives fitContext's result on every shape of conversation", async () => {
    const rng = createRng(7);
    const rand = (n: number) => rng.nextU32() % n;
    for (let trial = 0; trial < 200; trial++) {
      const messages: ChatTurn[] = rand(2) ? [sys] : [];
      const n = 1 + rand(12);
      for (let i = 0; i < n; i++) messages.push(rand(3) === 0 ? a(i, 1 + rand(40)) : u(i, 1 + rand(40)));
      messages.push(u(99, 1 + rand(30)));
      const continueFinalMessage = rand(3) === 0;
      if (continueFinalMessage) messages.push(a(100, 1 + rand(30)));
      const options = { maxPositions: 60 + rand(300), maxNewTokens: 1 + rand(40), continueFinalMessage };
      let expected: unknown;
      try {
        expected = fitContext(messages, encode, options);
      } catch (error) {
        expected = error;
      }
      let actual: unknown;
      try {
        actual = await fitContextByTurns(messages, counting().turns, options);
      } catch (error) {
        actual = error;
      }
      if (expected instanceof EngineError) expect((actual as EngineError).code, `trial ${trial}`).toBe(expected.code);
      else expect(actual, `trial ${trial}`).toEqual(expected);
    }
  });

  it("tokenizes each message at most once and stops at the budget: 1,500 messages cost only the kept window", async () => {
    const messages: ChatTurn[] = [sys];
    for (let i = 0; i < 750; i++) messages.push(u(i), a(i));
    messages.push(u(9999));
    const { turns, calls } = counting();
    const r = await fitContextByTurns(messages, turns, { maxPositions: 200, maxNewTokens: 20 }); // budget 180
    expect(r.messages).toEqual([sys, ...messages.slice(-7)]); // 10 + 20 + 3 exchanges × 40 = 150; one more = 190
    expect(calls.length).toBeLessThanOrEqual(r.messages.length + 2);
    expect(new Set(calls).size).toBe(calls.length);
  });

  it("refuses a message by its character count without tokenizing it", async () => {
    const { turns, calls } = counting();
    const huge: ChatTurn = { role: "user", content: "x".repeat(1_000_000) };
    await expect(fitContextByTurns([sys, huge], turns, { maxPositions: 4096, maxNewTokens: 512 })).rejects.toMatchObject({
      code: "context_overflow",
      message: expect.stringMatching(/1000008 characters/),
    });
    expect(calls).toEqual([]);
  });

  it("drops, without tokenizing, an old message too long to fit by its characters", async () => {
    const { turns, calls } = counting();
    const old = u(1, 100_000);
    const r = await fitContextByTurns([old, a(1), u(2)], turns, { maxPositions: 200, maxNewTokens: 20 });
    expect(r.messages).toEqual([u(2)]);
    expect(calls).not.toContain(old);
  });
});
