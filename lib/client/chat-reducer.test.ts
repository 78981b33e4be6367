import { describe, expect, it } from "vitest";
import type { ConversationDto } from "@/lib/schemas/conversations";
import type { ChatEvent } from "@/lib/schemas/events";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { canContinue, canEdit, canRegenerate, chatReducer, initialChatState, type ChatAction, type ChatState } from "./chat-reducer";

const stats = { promptTokens: 12, completionTokens: 3, cachedPromptTokens: 0, ttftMs: 50, prefillTokPerS: 240, decodeTokPerS: 20, totalMs: 150, stopReason: "eos" as const };

const submit = (content: string, mode: "send" | "regenerate" | "edit" | "continue" | "replay" = "send", now = 0, messageId?: string): ChatAction => ({
  type: "submit", mode, content, params: DEFAULT_GENERATION_PARAMS, now, iso: "2026-11-28T10:00:00.000Z", nonce: String(now), messageId,
});
const event = (e: ChatEvent, now = 0): ChatAction => ({ type: "event", event: e, now });
const start = (n: number): ChatEvent => ({
  event: "start",
  data: { conversationId: "c1", userMessageId: `u${n}`, assistantMessageId: `a${n}`, promptTokens: 12, droppedTurns: 0, title: "Hello" },
});
const run = (state: ChatState, ...actions: ChatAction[]) => actions.reduce(chatReducer, state);

/** One finished turn: question "hi", answer "Hey!". */
function oneTurn(): ChatState {
  return run(
    initialChatState(null),
    submit("hi"),
    event(start(1)),
    event({ event: "token", data: { text: "Hey", id: 1 } }, 100),
    event({ event: "token", data: { text: "!", id: 2 } }, 150),
    event({ event: "done", data: { messageId: "a1", status: "complete", stats } }, 160),
  );
}

describe("chatReducer", () => {
  it("streams an answer: optimistic messages, server ids, tokens, final stats", () => {
    const state = oneTurn();
    expect(state.conversationId).toBe("c1");
    expect(state.title).toBe("Hello");
    expect(state.run).toBeNull();
    expect(state.messages.map((m) => [m.id, m.role, m.content, m.status])).toEqual([
      ["u1", "user", "hi", "complete"],
      ["a1", "assistant", "Hey!", "complete"],
    ]);
    expect(state.messages[1].stats).toEqual(stats);
  });

  it("tracks queue position and prefill progress while waiting", () => {
    let state = run(initialChatState(null), submit("hi"), event({ event: "queued", data: { position: 2 } }, 10));
    expect(state.run).toMatchObject({ phase: "queued", queuePosition: 2, timing: { startedAt: 0 } });
    // The clock restarts when the model takes the answer: the wait in the queue is not its time.
    state = run(state, event(start(1), 4_000), event({ event: "prefill", data: { done: 64, total: 256 } }, 4_500));
    // The prompt's progress keeps when it started (the model took the answer) and when it last moved: its time left.
    expect(state.run).toMatchObject({ phase: "prefill", prefill: { done: 64, total: 256, startedAt: 4_000, at: 4_500 }, started: true, timing: { startedAt: 4_000 } });
    state = run(state, event({ event: "prefill", data: { done: 128, total: 256 } }, 5_100));
    expect(state.run?.prefill).toEqual({ done: 128, total: 256, startedAt: 4_000, at: 5_100 });
    expect(state.messages.at(-1)?.status).toBe("streaming");
  });

  it("a queued answer's new conversation has its id and title at once; taken back, the page is a new chat again", () => {
    const queued = run(initialChatState(null), submit("hi"), event({ event: "queued", data: { position: 5, conversationId: "c9", title: "Hi there" } }, 10));
    expect(queued).toMatchObject({ conversationId: "c9", title: "Hi there", run: { phase: "queued" } });
    const cancelled = run(queued, event({ event: "error", data: { code: "cancelled", message: "Stopped before the model started; nothing was kept." } }));
    expect(cancelled).toMatchObject({ conversationId: null, title: "", messages: [], run: null });
    // In an existing conversation the id stays.
    const again = run(oneTurn(), submit("more"), event({ event: "queued", data: { position: 1, conversationId: "c1", title: "Hello" } }), { type: "rejected", message: "busy" });
    expect(again).toMatchObject({ conversationId: "c1", title: "Hello", run: null });
    expect(again.messages).toHaveLength(2);
  });

  it("an answer that was not queued keeps its clock from the submit", () => {
    expect(run(initialChatState(null), submit("hi", "send", 5), event(start(1), 300)).run?.timing.startedAt).toBe(5);
  });

  it("keeps a partial answer marked stopped when the server reports it stopped", () => {
    const stoppedStats = { ...stats, completionTokens: 1, stopReason: "abort" as const };
    const state = run(initialChatState(null), submit("hi", "send", 0), event(start(1)), event({ event: "token", data: { text: "Par", id: 1 } }, 100),
      event({ event: "done", data: { messageId: "a1", status: "stopped", stats: stoppedStats } }, 500));
    const answer = state.messages.at(-1)!;
    expect(answer).toMatchObject({ id: "a1", content: "Par", status: "stopped", stats: stoppedStats });
    expect(state.run).toBeNull();
  });

  it("rolls back and reports when the server rejects the request", () => {
    const before = oneTurn();
    const state = run(before, submit("again"), { type: "rejected", message: "temperature must be between 0 and 2" });
    expect(state.messages).toEqual(before.messages);
    expect(state.error).toBe("temperature must be between 0 and 2");
  });

  it("marks the answer as error when the stream fails after it started", () => {
    const state = run(initialChatState(null), submit("hi"), event(start(1)), event({ event: "error", data: { code: "engine_error", message: "boom" } }));
    expect(state.messages.at(-1)).toMatchObject({ status: "error", error: "boom" });
  });

  it("regenerate replaces only the last answer", () => {
    const state = run(oneTurn(), submit("hi", "regenerate"), event(start(2)));
    expect(state.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(state.messages[0].id).toBe("u2");
    expect(state.messages[1]).toMatchObject({ id: "a2", content: "", status: "streaming" });
  });

  it("edit replaces the last user message and drops its answer", () => {
    const state = run(oneTurn(), submit("hello instead", "edit"));
    expect(state.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "hello instead"],
      ["assistant", ""],
    ]);
  });

  it("ignores a reload while an answer streams and applies it afterwards", () => {
    const conversation: ConversationDto = {
      id: "c1", title: "Renamed", createdAt: "", updatedAt: "", pinned: false, messageCount: 1, answering: false, params: DEFAULT_GENERATION_PARAMS, activeLeafId: null,
      messages: [{ id: "s", conversationId: "c1", parentId: null, siblings: { index: 0, count: 1, ids: [] }, role: "system", content: "sys", status: "complete", stats: null, params: null, error: null, createdAt: "" },
        { id: "u1", conversationId: "c1", parentId: null, siblings: { index: 0, count: 1, ids: [] }, role: "user", content: "hi", status: "complete", stats: null, params: null, error: null, createdAt: "" }],
    };
    const streaming = run(initialChatState(null), submit("x"));
    expect(chatReducer(streaming, { type: "loaded", conversation })).toBe(streaming);
    const idle = chatReducer(initialChatState("c1"), { type: "loaded", conversation });
    expect(idle.title).toBe("Renamed");
    expect(idle.messages.map((m) => m.id)).toEqual(["u1"]); // system messages are not shown
  });

  it("keeps the dropped-turns note of a streamed answer across a reload", () => {
    const streamed = run(initialChatState(null), submit("hi"), event({ ...start(1), data: { ...(start(1).data as object), droppedTurns: 2 } } as ChatEvent),
      event({ event: "done", data: { messageId: "a1", status: "complete", stats } }));
    const conversation: ConversationDto = {
      id: "c1", title: "Hello", createdAt: "", updatedAt: "", pinned: false, messageCount: 2, answering: false, params: DEFAULT_GENERATION_PARAMS, activeLeafId: null,
      messages: [{ id: "a1", conversationId: "c1", parentId: null, siblings: { index: 0, count: 1, ids: [] }, role: "assistant", content: "Hey", status: "complete", stats, params: null, error: null, createdAt: "" }],
    };
    expect(chatReducer(streamed, { type: "loaded", conversation }).messages[0].droppedTurns).toBe(2);
  });

  it("replay: a new version with the replayed answer's settings, and its verdict, kept across a reload", () => {
    const seeded = { ...DEFAULT_GENERATION_PARAMS, seed: 42 };
    const before = oneTurn();
    const withSeed = { ...before, messages: before.messages.map((m) => (m.id === "a1" ? { ...m, params: seeded } : m)) };
    const replaying = run(withSeed, { ...submit("", "replay", 200, "a1"), params: { ...DEFAULT_GENERATION_PARAMS, temperature: 0 } } as ChatAction);
    expect(replaying.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(replaying.messages[1]).toMatchObject({ status: "streaming", params: seeded, siblings: { index: 1, count: 2 } });
    const verdict = { of: "a1", identical: false, compared: "tokens" as const, divergedAtToken: 1, divergedAtChar: 3 };
    const done = run(replaying, event(start(2)), event({ event: "token", data: { text: "Hey?", id: 1 } }),
      event({ event: "done", data: { messageId: "a2", status: "complete", stats, replay: verdict } }));
    expect(done.messages[1]).toMatchObject({ id: "a2", content: "Hey?", replay: verdict });
    const conversation: ConversationDto = {
      id: "c1", title: "Hello", createdAt: "", updatedAt: "", pinned: false, messageCount: 2, answering: false, params: DEFAULT_GENERATION_PARAMS, activeLeafId: "a2",
      messages: [{ id: "a2", conversationId: "c1", parentId: "u1", siblings: { index: 1, count: 2, ids: ["a1", "a2"] }, role: "assistant", content: "Hey?", status: "complete", stats, params: seeded, error: null, createdAt: "" }],
    };
    expect(chatReducer(done, { type: "loaded", conversation }).messages[0].replay).toEqual(verdict);
  });

  it("re-attaches from a snapshot: the saved partial answer becomes the live one, then streams on to done", () => {
    const conversation: ConversationDto = {
      id: "c1", title: "Hello", createdAt: "", updatedAt: "", pinned: false, messageCount: 2, answering: true, params: DEFAULT_GENERATION_PARAMS, activeLeafId: "a1",
      messages: [
        { id: "u1", conversationId: "c1", parentId: null, siblings: { index: 0, count: 1, ids: ["u1"] }, role: "user", content: "hi", status: "complete", stats: null, params: null, error: null, createdAt: "" },
        { id: "a1", conversationId: "c1", parentId: "u1", siblings: { index: 0, count: 1, ids: ["a1"] }, role: "assistant", content: "He", status: "stopped", stats: null, params: DEFAULT_GENERATION_PARAMS, error: null, createdAt: "" },
      ],
    };
    const loaded = chatReducer(initialChatState("c1"), { type: "loaded", conversation });
    const snapshot: ChatEvent = {
      event: "snapshot",
      data: { conversationId: "c1", userMessageId: "u1", messageId: "a1", title: "Hello", text: "Hey", phase: "generating", queuePosition: null,
        stats: { promptTokens: 12, completionTokens: 3, elapsedMs: 1_000, ttftMs: 400 } },
    };
    const attached = run(loaded, event(snapshot, 5_000));
    expect(attached.messages.map((m) => [m.id, m.content, m.status])).toEqual([["u1", "hi", "complete"], ["a1", "Hey", "streaming"]]);
    expect(attached.run).toMatchObject({ assistantId: "a1", started: true, phase: "generating", promptTokens: 12,
      timing: { startedAt: 4_000, firstTokenAt: 4_400, lastTokenAt: 5_000, tokens: 3 } });
    // Only one run at a time: a second snapshot (or one during an own answer) changes nothing.
    expect(run(attached, event(snapshot, 6_000))).toBe(attached);
    const finished = run(attached, event({ event: "token", data: { text: "!", id: 4 } }, 5_100), event({ event: "done", data: { messageId: "a1", status: "complete", stats } }));
    expect(finished.run).toBeNull();
    expect(finished.messages.at(-1)).toMatchObject({ id: "a1", content: "Hey!", status: "complete", stats });
  });

  it("knows when regenerate and edit are possible", () => {
    const answer = oneTurn().messages[1]!;
    expect(canRegenerate(initialChatState(null), answer)).toBe(false);
    expect(canRegenerate(oneTurn(), answer)).toBe(true);
    expect(canRegenerate(oneTurn(), oneTurn().messages[0]!)).toBe(false);
    expect(canRegenerate(run(oneTurn(), submit("more")), answer)).toBe(false);
    expect(canEdit(oneTurn())).toBe(true);
    expect(canEdit(run(oneTurn(), submit("more")))).toBe(false);
  });

  it("regenerate on an earlier answer: a new branch from its question, the later turns leave the page", () => {
    const twoTurns = run(oneTurn(), submit("more"), event(start(2)), event({ event: "done", data: { messageId: "a2", status: "complete", stats } }));
    expect(canRegenerate(twoTurns, twoTurns.messages[1]!)).toBe(true);
    const state = run(twoTurns, submit("", "regenerate", 1, "a1"));
    expect(state.messages.map((m) => [m.role, m.content, m.status])).toEqual([["user", "hi", "complete"], ["assistant", "", "streaming"]]);
    expect(state.messages[1].siblings).toEqual({ index: 1, count: 2, ids: ["a1", "local-assistant-1"] });
    const started = run(state, event({ event: "start", data: { conversationId: "c1", userMessageId: "u1", assistantMessageId: "a3", promptTokens: 12, droppedTurns: 0, title: "Hello" } }));
    expect(started.messages.map((m) => m.id)).toEqual(["u1", "a3"]);
    expect(started.messages[1].siblings?.ids).toEqual(["a1", "a3"]);
  });

  it("regenerate: the new answer shows as the last version next to the old one", () => {
    const state = run(oneTurn(), submit("", "regenerate", 1, "a1"));
    expect(state.messages.map((m) => [m.role, m.content, m.status])).toEqual([["user", "hi", "complete"], ["assistant", "", "streaming"]]);
    expect(state.messages[1].siblings).toEqual({ index: 1, count: 2, ids: ["a1", "local-assistant-1"] });
    const started = run(state, event(start(2)));
    expect(started.messages[1].siblings?.ids).toEqual(["a1", "a2"]);
  });

  it("edit of an earlier question: the branch is cut there and the edit is a new version", () => {
    const twoTurns = run(oneTurn(), submit("more", "send", 1), event(start(2)), event({ event: "done", data: { messageId: "a2", status: "complete", stats } }));
    const state = run(twoTurns, submit("hello", "edit", 2, "u1"));
    expect(state.messages.map((m) => [m.role, m.content])).toEqual([["user", "hello"], ["assistant", ""]]);
    expect(state.messages[0].siblings).toMatchObject({ index: 1, count: 2, ids: ["u1", "local-user-2"] });
    // Rejected before start: the old branch comes back.
    expect(run(state, { type: "rejected", message: "busy" }).messages.map((m) => m.id)).toEqual(["u1", "a1", "u2", "a2"]);
  });

  it("continue: the cut answer streams on in place, and is offered only on a cut last answer", () => {
    const capped = run(initialChatState(null), submit("hi"), event(start(1)), event({ event: "token", data: { text: "Hel", id: 1 } }),
      event({ event: "done", data: { messageId: "a1", status: "complete", stats: { ...stats, stopReason: "length" } } }));
    expect(canContinue(capped, capped.messages[1])).toBe(true);
    expect(canContinue(oneTurn(), oneTurn().messages[1])).toBe(false);
    const state = run(capped, submit("", "continue", 1, "a1"));
    expect(state.messages.map((m) => [m.id, m.content, m.status])).toEqual([["u1", "hi", "complete"], ["a1", "Hel", "streaming"]]);
    const done = run(state, event({ ...start(1) }), event({ event: "token", data: { text: "lo", id: 2 } }),
      event({ event: "done", data: { messageId: "a1", status: "complete", stats } }));
    expect(done.messages.map((m) => [m.id, m.content, m.status])).toEqual([["u1", "hi", "complete"], ["a1", "Hello", "complete"]]);
    expect(canContinue(done, done.messages[1])).toBe(false);
  });
});
