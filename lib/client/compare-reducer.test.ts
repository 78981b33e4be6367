import { describe, expect, it } from "vitest";
import type { ChatEvent } from "@/lib/schemas/events";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { canKeep, compareReducer, isRunning, type CompareAction, type CompareState } from "./compare-reducer";

const stats = { promptTokens: 12, completionTokens: 2, cachedPromptTokens: 0, ttftMs: 50, prefillTokPerS: 240, decodeTokPerS: 20, totalMs: 150, stopReason: "eos" as const };
const A = { ...DEFAULT_GENERATION_PARAMS, temperature: 0, seed: 1 };
const B = { ...DEFAULT_GENERATION_PARAMS, temperature: 0.8, seed: 2 };
const ev = (event: ChatEvent, now = 0): CompareAction => ({ type: "event", event, now });
const side = (messageId: string, params = A) => ({ messageId, params, text: "", phase: "prefill" as const, queuePosition: null, ended: false, status: null });
const announce: ChatEvent = { event: "compare", data: { conversationId: "c1", userMessageId: "u1", title: "Q", answers: [side("a"), side("b", B)] } };
const start = (answer: number, id: string): ChatEvent => ({
  event: "start",
  data: { answer, conversationId: "c1", userMessageId: "u1", assistantMessageId: id, promptTokens: 9, droppedTurns: 0, title: "Q" },
});
const run = (...actions: CompareAction[]) => actions.reduce<CompareState | null>(compareReducer, null);
const submitted: CompareAction = { type: "submit", question: "Q?", variants: [A, B], now: 0 };

describe("compareReducer", () => {
  it("streams two columns from one stream, each from its own tagged events, then allows keeping either", () => {
    const state = run(
      submitted,
      ev(announce),
      ev(start(0, "a")),
      ev(start(1, "b")),
      ev({ event: "token", data: { answer: 1, text: "Hi", id: 1 } }, 10),
      ev({ event: "token", data: { answer: 0, text: "Yo", id: 2 } }, 11),
      ev({ event: "token", data: { answer: 0, text: "!", id: 3 } }, 12),
    )!;
    expect(state.columns.map((c) => [c.messageId, c.text, c.phase])).toEqual([["a", "Yo!", "generating"], ["b", "Hi", "generating"]]);
    expect(state.question).toBe("Q?");
    expect(state.oneAfterTheOther).toBe(false);
    expect(isRunning(state)).toBe(true);
    expect(canKeep(state, 0)).toBe(false);
    const done = [0, 1].reduce<CompareState | null>(
      (s, i) => compareReducer(s, ev({ event: "done", data: { answer: i, messageId: i ? "b" : "a", status: "complete", stats } })),
      state,
    )!;
    expect(isRunning(done)).toBe(false);
    expect(done.columns.map((c) => [c.status, c.stats])).toEqual([["complete", stats], ["complete", stats]]);
    expect([canKeep(done, 0), canKeep(done, 1)]).toEqual([true, true]);
    expect(compareReducer(done, { type: "clear" })).toBeNull();
  });

  it("says when the second answer waited for the first (one sequence at a time)", () => {
    const state = run(submitted, ev(announce), ev(start(0, "a")), ev({ event: "queued", data: { answer: 1, position: 1 } }))!;
    expect(state.oneAfterTheOther).toBe(true);
    expect(state.columns[1]).toMatchObject({ phase: "queued", queuePosition: 1 });
  });

  it("a side that never ran cannot be kept; when neither ran the pair reports the error", () => {
    const one = run(submitted, ev(announce), ev({ event: "queued", data: { answer: 0, position: 1 } }), ev({ event: "error", data: { answer: 1, code: "busy", message: "Busy." } }))!;
    expect(one.columns[1]).toMatchObject({ messageId: null, status: null, error: "Busy.", phase: null });
    expect(one.error).toBeNull();
    const none = compareReducer(one, ev({ event: "error", data: { answer: 0, code: "cancelled", message: "Stopped." } }))!;
    expect(none.columns[0]).toMatchObject({ status: null, messageId: null });
    expect(none.error).toBe("Stopped.");
    expect([canKeep(none, 0), canKeep(none, 1)]).toEqual([false, false]);
  });

  it("re-attaching takes the server's picture: texts so far, an ended side's status", () => {
    const attached = run(ev({ event: "compare", data: { ...announce.data, answers: [{ ...side("a"), text: "Done text", ended: true, status: "complete" }, { ...side("b", B), text: "Part", phase: "generating" }] } }))!;
    expect(attached.columns.map((c) => [c.text, c.phase, c.status])).toEqual([["Done text", null, "complete"], ["Part", "generating", null]]);
    const cut = compareReducer(attached, { type: "ended", message: "Cut." })!;
    expect(cut.columns[1]).toMatchObject({ phase: null, status: "error", error: "Cut." });
  });
});
