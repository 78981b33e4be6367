/**
 * The chat page's state machine, kept pure so every transition is unit-tested: optimistic messages
 * on submit, stream events folding into the answer, rollback when the server rejects a request,
 * partial answers kept when an answer is stopped, and re-attaching to an answer that was already running
 * (a `snapshot` event: after a reload, navigation, or from a second tab).
 */
import type { ChatMode } from "@/lib/schemas/chat";
import type { ConversationDto, MessageRole, MessageStatus, SiblingsDto } from "@/lib/schemas/conversations";
import type { AnswerSnapshot, ChatEvent, ReplayVerdict } from "@/lib/schemas/events";
import type { GenerationParams } from "@/lib/schemas/params";
import type { GenerationStats } from "@/lib/schemas/stats";
import type { AttachmentDto } from "@/lib/schemas/attachments";
import type { LiveTiming } from "./caption";

export type UiStatus = MessageStatus | "streaming";
export type { ChatMode };

export interface UiMessage {
  id: string;
  role: MessageRole;
  content: string;
  status: UiStatus;
  stats: GenerationStats | null;
  params: GenerationParams | null;
  error: string | null;
  createdAt: string;
  /** Older turns left out of this answer's context (only known for answers streamed in this tab). */
  droppedTurns?: number;
  /** The versions of this turn (for `‹ 2/3 ›`); absent for a message written in this tab and not yet re-read. */
  siblings?: SiblingsDto;
  /** A replay: how it compares with the answer it re-ran (stored with the answer; a live one is kept across re-reads too). */
  replay?: ReplayVerdict;
  /** A question's attached files (chips). */
  attachments?: AttachmentDto[];
  /** A stored answer's token records exist (the token view); unknown for one streamed in this tab and not re-read. */
  hasTokenRecords?: boolean;
}

export interface RunState {
  mode: ChatMode;
  phase: "connecting" | "queued" | "prefill" | "generating";
  queuePosition: number | null;
  /** Prompt processing so far, and when (page clock) it started and last moved: the prompt's time left is measured from them. */
  prefill: { done: number; total: number; startedAt: number; at: number } | null;
  timing: LiveTiming;
  promptTokens: number;
  assistantId: string;
  started: boolean;
  /** The messages before this submit, restored if the server rejects the request. */
  previous: UiMessage[];
  /** The conversation and title before this submit: a new chat announced by `queued` goes back to none if the request is taken back. */
  previousConversation: { id: string | null; title: string };
}

export interface ChatState {
  conversationId: string | null;
  title: string;
  messages: UiMessage[];
  run: RunState | null;
  error: string | null;
}

export type ChatAction =
  | { type: "loaded"; conversation: ConversationDto }
  | { type: "submit"; mode: ChatMode; content: string; params: GenerationParams; now: number; iso: string; nonce: string; messageId?: string; attachments?: AttachmentDto[] }
  | { type: "event"; event: ChatEvent; now: number }
  | { type: "rejected"; message: string }
  | { type: "failed"; message: string }
  | { type: "dismiss-error" }
  /** A request outside of an answer failed (switching versions). */
  | { type: "error"; message: string };

export function initialChatState(conversationId: string | null): ChatState {
  return { conversationId, title: "", messages: [], run: null, error: null };
}

export function lastIndexOfRole(messages: readonly UiMessage[], role: MessageRole): number {
  for (let i = messages.length - 1; i >= 0; i -= 1) if (messages[i].role === role) return i;
  return -1;
}

/**
 * Regenerate is offered on every answer with a question before it: an earlier answer's new version
 * starts a new branch from its question (the old branch stays behind `‹ n/m ›`).
 */
export function canRegenerate(state: ChatState, message: UiMessage): boolean {
  if (state.run || message.role !== "assistant") return false;
  const index = state.messages.findIndex((m) => m.id === message.id);
  return index > 0 && lastIndexOfRole(state.messages.slice(0, index), "user") >= 0;
}

export function canEdit(state: ChatState): boolean {
  return !state.run && lastIndexOfRole(state.messages, "user") >= 0;
}

/** Continue is offered on the branch's last answer when it was cut: stopped, or out of tokens (max tokens). */
export function canContinue(state: ChatState, message: UiMessage): boolean {
  return !state.run && message.role === "assistant" && state.messages.at(-1)?.id === message.id && (message.status === "stopped" || message.stats?.stopReason === "length");
}

/** The index of the target message, or of the last message with that role. */
function targetIndex(messages: readonly UiMessage[], id: string | undefined, role: MessageRole): number {
  const index = id === undefined ? -1 : messages.findIndex((m) => m.id === id);
  return index >= 0 ? index : lastIndexOfRole(messages, role);
}

/** A new version next to `old`: it becomes the last of the versions (what the server will say after re-reading). */
function newVersionOf(old: UiMessage | undefined, id: string): SiblingsDto {
  const ids = [...(old?.siblings?.ids ?? (old ? [old.id] : [])), id];
  return { index: ids.length - 1, count: ids.length, ids };
}

function continueAnswer(state: ChatState, action: Extract<ChatAction, { type: "submit" }>): ChatState {
  const index = targetIndex(state.messages, action.messageId, "assistant");
  const target = state.messages[index];
  if (!target || target.role !== "assistant") return state;
  const messages = state.messages.slice(0, index + 1).map((m): UiMessage => (m.id === target.id ? { ...m, status: "streaming" } : m));
  return startRun(state, action, messages, target.id);
}

/** The state once a request is sent: `messages` as shown while it runs, the answer `assistantId` being written. */
function startRun(state: ChatState, action: Extract<ChatAction, { type: "submit" }>, messages: UiMessage[], assistantId: string): ChatState {
  return {
    ...state,
    error: null,
    messages,
    run: {
      mode: action.mode,
      phase: "connecting",
      queuePosition: null,
      prefill: null,
      timing: { startedAt: action.now, firstTokenAt: null, lastTokenAt: null, tokens: 0 },
      promptTokens: 0,
      assistantId,
      started: false,
      previous: state.messages,
      previousConversation: { id: state.conversationId, title: state.title },
    },
  };
}

function submit(state: ChatState, action: Extract<ChatAction, { type: "submit" }>): ChatState {
  const userMessage = (id: string): UiMessage => ({
    id,
    role: "user",
    content: action.content,
    status: "complete",
    stats: null,
    params: null,
    error: null,
    createdAt: action.iso,
    ...(action.attachments?.length ? { attachments: action.attachments } : {}),
  });
  if (action.mode === "continue") return continueAnswer(state, action);
  const assistantId = `local-assistant-${action.nonce}`;
  let base: UiMessage[];
  let replaced: UiMessage | undefined;
  if (action.mode === "regenerate" || action.mode === "replay" || action.mode === "branch") {
    // The new answer goes next to the old one, under the same question; what followed it is not on the new branch.
    const index = targetIndex(state.messages, action.messageId, "assistant");
    const cut = state.messages[index]?.role === "assistant" ? index : state.messages.length;
    replaced = state.messages[cut];
    base = state.messages.slice(0, cut);
  } else if (action.mode === "edit") {
    const index = targetIndex(state.messages, action.messageId, "user");
    const localId = `local-user-${action.nonce}`;
    base =
      index < 0
        ? [userMessage(localId)]
        : [...state.messages.slice(0, index), { ...userMessage(localId), siblings: newVersionOf(state.messages[index], localId) }];
  } else base = [...state.messages, userMessage(`local-user-${action.nonce}`)];
  const placeholder: UiMessage = {
    id: assistantId,
    role: "assistant",
    content: "",
    status: "streaming",
    stats: null,
    // A replay runs with the replayed answer's own settings, whatever the panel says.
    params: action.mode === "replay" && replaced?.params ? replaced.params : action.params,
    error: null,
    createdAt: action.iso,
    ...(replaced ? { siblings: newVersionOf(replaced, assistantId) } : {}),
  };
  return startRun(state, action, [...base, placeholder], assistantId);
}

/** A run that was started elsewhere (another tab, before a reload): the snapshot says how far it got. */
function attach(state: ChatState, snapshot: AnswerSnapshot, now: number): ChatState {
  const { stats } = snapshot;
  const startedAt = now - stats.elapsedMs;
  const previous = state.messages.filter((m) => m.id !== snapshot.messageId);
  const known = state.messages.find((m) => m.id === snapshot.messageId);
  const answer: UiMessage = {
    id: snapshot.messageId,
    role: "assistant",
    content: snapshot.text,
    status: "streaming",
    stats: null,
    params: known?.params ?? null,
    error: null,
    createdAt: known?.createdAt ?? new Date().toISOString(),
  };
  const messages = known ? state.messages.map((m) => (m.id === snapshot.messageId ? answer : m)) : [...state.messages, answer];
  return {
    ...state,
    conversationId: snapshot.conversationId,
    title: snapshot.title || state.title,
    // A 409 "still answering" message stays: it explains why this answer appeared instead.
    messages,
    run: {
      mode: "send",
      phase: snapshot.phase,
      queuePosition: snapshot.queuePosition,
      prefill: null,
      timing: {
        startedAt,
        firstTokenAt: stats.ttftMs === null ? null : startedAt + stats.ttftMs,
        lastTokenAt: stats.completionTokens > 0 ? now : null,
        tokens: stats.completionTokens,
      },
      promptTokens: stats.promptTokens,
      assistantId: snapshot.messageId,
      started: snapshot.phase !== "queued",
      previous,
      previousConversation: { id: state.conversationId, title: state.title },
    },
  };
}

function updateAnswer(state: ChatState, update: (message: UiMessage) => UiMessage): UiMessage[] {
  const id = state.run?.assistantId;
  return state.messages.map((m) => (m.id === id ? update(m) : m));
}

/** A request taken back before it started: the messages, conversation and title as they were before it. */
function withdrawn(state: ChatState, run: RunState): ChatState {
  return { ...state, conversationId: run.previousConversation.id, title: run.previousConversation.title, messages: run.previous, run: null };
}

function applyEvent(state: ChatState, event: ChatEvent, now: number): ChatState {
  const run = state.run;
  if (event.event === "snapshot") return run ? state : attach(state, event.data, now);
  if (!run) return state;
  switch (event.event) {
    case "queued":
      // The conversation exists from the moment the answer is accepted: its id and title show while it waits.
      return {
        ...state,
        conversationId: event.data.conversationId ?? state.conversationId,
        title: event.data.title || state.title,
        run: { ...run, phase: "queued", queuePosition: event.data.position },
      };
    case "start": {
      const { data } = event;
      const userIndex = lastIndexOfRole(state.messages, "user");
      const messages = state.messages.map((m, i) => {
        const rename = (from: string, to: string) => (m.siblings ? { siblings: { ...m.siblings, ids: m.siblings.ids.map((id) => (id === from ? to : id)) } } : {});
        if (m.id === run.assistantId) return { ...m, id: data.assistantMessageId, droppedTurns: data.droppedTurns, ...rename(m.id, data.assistantMessageId) };
        if (i === userIndex) return { ...m, id: data.userMessageId, ...rename(m.id, data.userMessageId) };
        return m;
      });
      return {
        ...state,
        conversationId: data.conversationId,
        title: data.title || state.title,
        messages,
        // The clock counts from when the model took the answer: time spent in the queue is not its time.
        run: { ...run, phase: "prefill", queuePosition: null, started: true, promptTokens: data.promptTokens, assistantId: data.assistantMessageId,
          timing: run.phase === "queued" ? { ...run.timing, startedAt: now } : run.timing },
      };
    }
    case "compare":
      // A compare pair has its own state (compare-reducer.ts); this page's single run never sees one.
      return state;
    case "prefill": {
      // Measured from the model taking the answer (`start`), where prompt processing begins.
      const startedAt = run.prefill?.startedAt ?? (run.started ? run.timing.startedAt : now);
      return { ...state, run: { ...run, phase: "prefill", prefill: { done: event.data.done, total: event.data.total, startedAt, at: now } } };
    }
    case "token": {
      const timing: LiveTiming = {
        ...run.timing,
        firstTokenAt: run.timing.firstTokenAt ?? now,
        lastTokenAt: now,
        tokens: run.timing.tokens + 1,
      };
      return {
        ...state,
        messages: updateAnswer(state, (m) => ({ ...m, content: m.content + event.data.text })),
        run: { ...run, phase: "generating", timing },
      };
    }
    case "done": {
      const { data } = event;
      const replay = data.replay ? { replay: data.replay } : {};
      const messages = updateAnswer(state, (m) => ({ ...m, id: data.messageId, status: data.status, stats: data.stats, error: data.error ?? null, ...replay }));
      return { ...state, messages, run: null };
    }
    case "error":
      if (!run.started) return { ...withdrawn(state, run), error: event.data.message };
      return {
        ...state,
        messages: updateAnswer(state, (m) => ({ ...m, status: "error", error: event.data.message })),
        run: null,
      };
  }
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "loaded": {
      // A reload that lands while a new answer streams would erase it; the stream's own events win.
      if (state.run) return state;
      const c = action.conversation;
      // droppedTurns is only known from the live `start` event; keep it across re-reads.
      const dropped = new Map(state.messages.map((m) => [m.id, m.droppedTurns]));
      const replays = new Map(state.messages.map((m) => [m.id, m.replay]));
      const messages: UiMessage[] = c.messages
        .filter((m) => m.role !== "system")
        .map((m) => ({ id: m.id, role: m.role, content: m.content, status: m.status, stats: m.stats, params: m.params, error: m.error, createdAt: m.createdAt, droppedTurns: dropped.get(m.id), siblings: m.siblings, replay: m.replay ?? replays.get(m.id), ...(m.attachments ? { attachments: m.attachments } : {}), ...(m.hasTokenRecords !== undefined ? { hasTokenRecords: m.hasTokenRecords } : {}) }));
      return { ...state, conversationId: c.id, title: c.title, messages };
    }
    case "submit":
      return state.run ? state : submit(state, action);
    case "event":
      return applyEvent(state, action.event, action.now);
    case "rejected":
      return state.run ? { ...withdrawn(state, state.run), error: action.message } : state;
    case "failed":
      if (!state.run) return state;
      if (!state.run.started) return { ...withdrawn(state, state.run), error: action.message };
      return { ...state, messages: updateAnswer(state, (m) => ({ ...m, status: "error", error: action.message })), run: null };
    case "dismiss-error":
      return { ...state, error: null };
    case "error":
      return { ...state, error: action.message };
  }
}
