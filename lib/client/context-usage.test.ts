import { describe, expect, it } from "vitest";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { chatReducer, initialChatState, type ChatAction, type ChatState } from "./chat-reducer";
import { contextUsage } from "./context-usage";

const stats = (promptTokens: number, completionTokens: number) => ({
  promptTokens, completionTokens, cachedPromptTokens: 0, ttftMs: 50, prefillTokPerS: 240, decodeTokPerS: 20, totalMs: 150, stopReason: "eos" as const,
});
const run = (state: ChatState, ...actions: ChatAction[]) => actions.reduce(chatReducer, state);
const submit = (mode: "send" | "regenerate", now: number): ChatAction => ({
  type: "submit", mode, content: "hi", params: DEFAULT_GENERATION_PARAMS, now, iso: "2026-11-28T10:00:00.000Z", nonce: String(now),
});
const start = (promptTokens: number): ChatAction => ({
  type: "event", now: 10,
  event: { event: "start", data: { conversationId: "c1", userMessageId: "u1", assistantMessageId: "a2", promptTokens, droppedTurns: 0, title: "t" } },
});
const token: ChatAction = { type: "event", now: 20, event: { event: "token", data: { text: "x", id: 1 } } };

describe("contextUsage", () => {
  const answered = run(
    initialChatState(null),
    submit("send", 0),
    start(30),
    token,
    { type: "event", now: 30, event: { event: "done", data: { messageId: "a1", status: "complete", stats: stats(30, 70) } } },
  );

  it("is the latest answer's prompt + answer once it is done", () => {
    expect(contextUsage(initialChatState(null))).toBeNull();
    expect(contextUsage(answered)).toBe(100);
  });

  it("during a regenerate: pending until the new prompt is counted, then the new answer's figures, never the replaced one's", () => {
    const regenerating = run(answered, submit("regenerate", 1));
    expect(contextUsage(regenerating)).toBe("pending");
    expect(contextUsage(run(regenerating, { type: "event", now: 2, event: { event: "queued", data: { position: 2 } } }))).toBe("pending");
    const started = run(regenerating, start(30));
    expect(contextUsage(started)).toBe(30);
    expect(contextUsage(run(started, token, token))).toBe(32);
  });
});
