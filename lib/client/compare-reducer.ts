/**
 * A compare pair in the browser (`mode: "compare"`): one question, two answers streaming side by
 * side, each column folding the events tagged with its `answer` index. Kept pure so every transition
 * is unit-tested; use-compare.ts drives it from the SSE stream.
 */
import type { MessageStatus } from "@/lib/schemas/conversations";
import type { ChatEvent, CompareSide } from "@/lib/schemas/events";
import type { GenerationParams } from "@/lib/schemas/params";
import type { GenerationStats } from "@/lib/schemas/stats";
import type { LiveTiming } from "./caption";

export type ColumnPhase = "connecting" | "queued" | "prefill" | "generating";

export interface CompareColumn {
  /** The stored answer; null until the server says (or when this side never ran and was taken back). */
  messageId: string | null;
  params: GenerationParams;
  text: string;
  /** Set while it runs; null once it ended (`status`). */
  phase: ColumnPhase | null;
  status: MessageStatus | null;
  queuePosition: number | null;
  stats: GenerationStats | null;
  error: string | null;
  timing: LiveTiming;
}

export interface CompareState {
  conversationId: string | null;
  userMessageId: string | null;
  title: string;
  question: string;
  columns: [CompareColumn, CompareColumn];
  /** One answer waited in line while the other ran: this engine decodes one sequence at a time. */
  oneAfterTheOther: boolean;
  /** The request was refused before anything was stored (4xx, or both sides never started). */
  error: string | null;
}

export type CompareAction =
  | { type: "submit"; question: string; variants: [GenerationParams, GenerationParams]; now: number }
  | { type: "event"; event: ChatEvent; now: number }
  /** The stream ended or broke: sides that are still running are marked failed. */
  | { type: "ended"; message: string }
  | { type: "rejected"; message: string }
  /** Kept one, or dismissed: the pair leaves the page (its answers stay stored as versions). */
  | { type: "clear" };

function column(params: GenerationParams, now: number): CompareColumn {
  return {
    messageId: null,
    params,
    text: "",
    phase: "connecting",
    status: null,
    queuePosition: null,
    stats: null,
    error: null,
    timing: { startedAt: now, firstTokenAt: null, lastTokenAt: null, tokens: 0 },
  };
}

export function isRunning(state: CompareState | null): boolean {
  return state !== null && state.columns.some((c) => c.phase !== null);
}

/** The pair ran (at least one answer is stored) and the user can keep one. */
export function canKeep(state: CompareState | null, index: number): boolean {
  return state !== null && !isRunning(state) && state.columns[index]!.messageId !== null && state.columns[index]!.status !== null;
}

function fromSide(side: CompareSide, now: number): CompareColumn {
  return {
    ...column(side.params, now),
    messageId: side.messageId,
    text: side.text,
    phase: side.ended ? null : side.phase,
    status: side.ended ? side.status : null,
    queuePosition: side.queuePosition,
    // Ended and not saved: it never started and was taken back.
    ...(side.ended && side.status === null ? { messageId: null, error: "This answer did not run." } : {}),
  };
}

function withColumn(state: CompareState, index: number, update: (c: CompareColumn) => CompareColumn): CompareState {
  const columns = state.columns.map((c, i) => (i === index ? update(c) : c)) as [CompareColumn, CompareColumn];
  return { ...state, columns };
}

function applyEvent(state: CompareState | null, event: ChatEvent, now: number): CompareState | null {
  if (event.event === "compare") {
    const { data } = event;
    const columns = data.answers.map((side, i) => {
      const current = state?.columns[i];
      // Our own stream: keep the browser's timing; re-attaching: take the server's picture.
      return current && current.messageId === null && !side.ended ? { ...current, messageId: side.messageId, params: side.params } : fromSide(side, now);
    }) as [CompareColumn, CompareColumn];
    return {
      conversationId: data.conversationId,
      userMessageId: data.userMessageId,
      title: data.title,
      question: state?.question ?? "",
      columns,
      oneAfterTheOther: state?.oneAfterTheOther ?? columns.some((c) => c.phase === "queued"),
      error: null,
    };
  }
  if (!state) return state;
  const index = "answer" in event.data ? event.data.answer : undefined;
  if (index === undefined) return state;
  const other = state.columns[1 - index]!;
  switch (event.event) {
    case "queued":
      return {
        ...withColumn(state, index, (c) => ({ ...c, phase: "queued", queuePosition: event.data.position })),
        oneAfterTheOther: state.oneAfterTheOther || other.phase === "prefill" || other.phase === "generating" || other.phase === "connecting",
        conversationId: event.data.conversationId ?? state.conversationId,
      };
    case "start":
      return {
        ...withColumn(state, index, (c) => ({ ...c, phase: "prefill", queuePosition: null, messageId: event.data.assistantMessageId, timing: { ...c.timing, startedAt: now } })),
        conversationId: event.data.conversationId,
        userMessageId: event.data.userMessageId,
      };
    case "prefill":
      return withColumn(state, index, (c) => ({ ...c, phase: "prefill" }));
    case "token":
      return withColumn(state, index, (c) => ({
        ...c,
        phase: "generating",
        text: c.text + event.data.text,
        timing: { ...c.timing, firstTokenAt: c.timing.firstTokenAt ?? now, lastTokenAt: now, tokens: c.timing.tokens + 1 },
      }));
    case "done":
      return withColumn(state, index, (c) => ({ ...c, phase: null, messageId: event.data.messageId, status: event.data.status, stats: event.data.stats, error: event.data.error ?? null }));
    case "error": {
      // Before `start` the side was taken back (nothing stored); after it, the text so far is kept.
      const neverRan = state.columns[index]!.phase === "connecting" || state.columns[index]!.phase === "queued";
      const next = withColumn(state, index, (c) => ({ ...c, phase: null, status: neverRan ? null : "error", messageId: neverRan ? null : c.messageId, error: event.data.message }));
      const bothGone = next.columns.every((c) => c.phase === null && c.status === null);
      return bothGone ? { ...next, error: event.data.message } : next;
    }
    default:
      return state;
  }
}

export function compareReducer(state: CompareState | null, action: CompareAction): CompareState | null {
  switch (action.type) {
    case "submit":
      return {
        conversationId: state?.conversationId ?? null,
        userMessageId: null,
        title: "",
        question: action.question,
        columns: [column(action.variants[0], action.now), column(action.variants[1], action.now)],
        oneAfterTheOther: false,
        error: null,
      };
    case "event":
      return applyEvent(state, action.event, action.now);
    case "ended":
      if (!state) return state;
      return {
        ...state,
        columns: state.columns.map((c) => (c.phase === null ? c : { ...c, phase: null, status: c.messageId ? "error" : null, error: action.message })) as [CompareColumn, CompareColumn],
      };
    case "clear":
      return null;
    case "rejected":
      return state ? { ...state, columns: state.columns.map((c) => ({ ...c, phase: null })) as [CompareColumn, CompareColumn], error: action.message } : state;
  }
}
