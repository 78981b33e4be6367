"use client";
/**
 * One conversation in the browser: loads it by id, sends / regenerates / edits through the SSE
 * stream. An answer belongs to the server: leaving the page only detaches from its stream, opening a
 * conversation whose answer runs re-attaches to it (`/stream`), and Stop asks the server (`/stop`),
 * which ends the stream with the answer saved as "stopped".
 */
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { DEFAULT_GENERATION_PARAMS, type GenerationParams } from "@/lib/schemas/params";
import type { ConversationDto } from "@/lib/schemas/conversations";
import type { ChatEvent } from "@/lib/schemas/events";
import { ApiError, getConversation, stopAnswer, switchBranch } from "./api";
import { followAnswer, streamChat } from "./chat-stream";
import { chatReducer, initialChatState, lastIndexOfRole, type ChatMode } from "./chat-reducer";
import { wasDeleted } from "./deleted-conversations";
import { toAttachmentInput } from "./use-attachments";
import type { ExtractedAttachment } from "@/lib/schemas/attachments";

export type LoadState = "loading" | "ready" | "not-found" | "error";
export type RunOutcome = "done" | "stopped" | "rejected" | "failed";

export interface ChatCallbacks {
  /** The server created or confirmed the conversation (first event of every answer). */
  onStarted?: (conversationId: string) => void;
  /** A new conversation announced while its answer was queued was taken back (the server deleted it). */
  onWithdrawn?: (conversationId: string) => void;
  /** An answer ended in any way; the conversation list may have changed. */
  onFinished?: () => void;
  /** Re-attaching found a compare pair running (its own hook follows it). */
  onCompareRunning?: (conversationId: string) => void;
}

export function useChat(conversationId: string | null, callbacks: ChatCallbacks = {}) {
  const [state, dispatch] = useReducer(chatReducer, conversationId, initialChatState);
  const [loadState, setLoadState] = useState<LoadState>(conversationId ? "loading" : "ready");
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loadedParams, setLoadedParams] = useState<GenerationParams | null>(null);
  const controllerRef = useRef<AbortController | null>(null);
  /** Stop was pressed before the server said which conversation the answer belongs to (a new chat). */
  const stopPendingRef = useRef(false);
  const stateRef = useRef(state);
  const callbacksRef = useRef(callbacks);
  useEffect(() => {
    stateRef.current = state;
    callbacksRef.current = callbacks;
  });

  // Set below; applyLoaded needs it to re-attach, and attach needs reload once the answer ended.
  const attachRef = useRef<(id: string) => void>(() => undefined);

  const applyLoaded = useCallback((conversation: ConversationDto) => {
    dispatch({ type: "loaded", conversation });
    setLoadedParams(conversation.params);
    setLoadState("ready");
    if (conversation.answering && !controllerRef.current) attachRef.current(conversation.id);
  }, []);

  const applyLoadError = useCallback((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) setLoadState("not-found");
    else {
      setLoadError(error instanceof Error ? error.message : String(error));
      setLoadState((current) => (current === "ready" ? current : "error"));
    }
  }, []);

  const reload = useCallback(
    (id: string) => getConversation(id).then(applyLoaded, applyLoadError),
    [applyLoaded, applyLoadError],
  );

  useEffect(() => {
    if (!conversationId) return;
    const controller = new AbortController();
    getConversation(conversationId, controller.signal).then(applyLoaded, (error: unknown) => {
      if (!controller.signal.aborted) applyLoadError(error);
    });
    return () => controller.abort();
  }, [conversationId, applyLoaded, applyLoadError]);

  // Leaving the page only detaches from the answer's stream; the server finishes and saves it.
  useEffect(() => () => controllerRef.current?.abort(), []);

  const requestStop = useCallback((id: string) => {
    stopPendingRef.current = false;
    stopAnswer(id).catch((error: unknown) => {
      dispatch({ type: "failed", message: `Could not stop the answer: ${error instanceof Error ? error.message : String(error)}` });
    });
  }, []);

  /** Folds one streamed event into the state; a Stop pressed before the id was known goes out now. */
  const onEvent = useCallback((event: ChatEvent) => {
    dispatch({ type: "event", event, now: performance.now() });
    const id = event.event === "start" || event.event === "snapshot" || event.event === "queued" ? event.data.conversationId : undefined;
    if (id && stopPendingRef.current) requestStop(id);
  }, [requestStop]);

  /** Follows the conversation's running answer (started in another tab, or before a reload). */
  const attach = useCallback((id: string) => {
    if (controllerRef.current) return;
    const controller = new AbortController();
    controllerRef.current = controller;
    void (async () => {
      try {
        for await (const event of followAnswer(id, controller.signal)) {
          if (event.event === "compare") {
            controller.abort();
            callbacksRef.current.onCompareRunning?.(id);
            return;
          }
          onEvent(event);
        }
      } catch (error) {
        if (!controller.signal.aborted) dispatch({ type: "failed", message: error instanceof Error ? error.message : String(error) });
      } finally {
        if (controllerRef.current === controller) controllerRef.current = null;
        if (!controller.signal.aborted) {
          // A stream cut without `done` shows as failed; the stored answer (or a still running one) replaces it.
          dispatch({ type: "failed", message: "The connection closed before the answer was finished." });
          callbacksRef.current.onFinished?.();
          void reload(id);
        }
      }
    })();
  }, [onEvent, reload]);
  useEffect(() => {
    attachRef.current = attach;
  }, [attach]);

  /** `messageId`: the message the mode acts on (see POST /api/chat); `content` is unused by regenerate / continue. */
  const run = useCallback(async (
    mode: ChatMode,
    content: string,
    params: GenerationParams,
    messageId?: string,
    extra: { at?: { tokenIndex: number; tokenId: number }; attachments?: readonly ExtractedAttachment[] } = {},
  ): Promise<RunOutcome> => {
    const { at, attachments } = extra;
    if (controllerRef.current) return "rejected";
    const controller = new AbortController();
    controllerRef.current = controller;
    const nonce = Math.random().toString(36).slice(2);
    const chips = attachments?.map(({ name, mediaType, chars, tokens }) => ({ name, mediaType, chars, tokens }));
    dispatch({ type: "submit", mode, content, params, now: performance.now(), iso: new Date().toISOString(), nonce, messageId, attachments: chips });
    let outcome: RunOutcome = "done";
    // Before `start` nothing was stored, so failures roll back and the composer gets its text again.
    let started = false;
    let finished = false;
    const existingId = stateRef.current.conversationId;
    let createdId = existingId;
    let announcedId: string | null = null;
    try {
      const withContent = mode === "send" || mode === "edit";
      // A replay runs with the answer's own stored settings; the server refuses others.
      const files = attachments?.length ? { attachments: attachments.map(toAttachmentInput) } : {};
      const body = { conversationId: stateRef.current.conversationId ?? undefined, content: withContent ? content : undefined, params: mode === "replay" ? undefined : params, mode, messageId, ...at, ...files };
      for await (const event of streamChat(body, controller.signal)) {
        onEvent(event);
        // A queued answer's conversation exists already: it gets its address and sidebar row while it waits.
        if ((event.event === "start" || event.event === "queued") && event.data.conversationId && event.data.conversationId !== announcedId) {
          announcedId = createdId = event.data.conversationId;
          callbacksRef.current.onStarted?.(announcedId);
        }
        if (event.event === "start") started = true;
        if (event.event === "error") outcome = started ? "failed" : "rejected";
        if (event.event === "done") finished = true;
      }
      // The parser may end quietly on abort instead of throwing: the page is going away.
      if (controller.signal.aborted && !finished) throw new DOMException("Detached", "AbortError");
      if (!finished && outcome === "done") outcome = started ? "failed" : "rejected";
      // A stream that ends without `done` was cut (server restart, proxy); the reducer ignores this after `done`.
      dispatch({ type: "failed", message: "The connection closed before the answer was finished." });
      // The answer may still be running (or be saved by now): the stored state decides, and re-attaches.
      if (!finished && started && createdId) void reload(createdId);
    } catch (error) {
      if (controller.signal.aborted) {
        outcome = "stopped";
      } else if (error instanceof ApiError && error.status > 0) {
        outcome = "rejected";
        dispatch({ type: "rejected", message: error.message });
        // Answering elsewhere (another tab or client): follow that answer, so Stop is at hand.
        const id = createdId;
        if (error.code === "answering" && id) setTimeout(() => void reload(id), 0);
      } else {
        outcome = started ? "failed" : "rejected";
        dispatch({ type: "failed", message: error instanceof Error ? error.message : String(error) });
      }
    } finally {
      stopPendingRef.current = false;
      if (controllerRef.current === controller) controllerRef.current = null;
      // A new chat announced while queued and then taken back (stopped in line, refused) no longer exists.
      if (announcedId && !existingId && !started && outcome !== "stopped") callbacksRef.current.onWithdrawn?.(announcedId);
      callbacksRef.current.onFinished?.();
    }
    return outcome;
  }, [reload, onEvent]);

  const send = useCallback(
    (content: string, params: GenerationParams, attachments?: readonly ExtractedAttachment[]) => run("send", content, params, undefined, { attachments }),
    [run],
  );

  /** A new version of an answer (default: the last one); the old versions stay, behind `‹ n/m ›`. */
  const regenerate = useCallback((params: GenerationParams, messageId?: string) => {
    const messages = stateRef.current.messages;
    return lastIndexOfRole(messages, "user") < 0 ? Promise.resolve<RunOutcome>("rejected") : run("regenerate", "", params, messageId);
  }, [run]);

  /** A new version of a question (default: the last one): a new branch from there. */
  const editAndResend = useCallback((content: string, params: GenerationParams, messageId?: string) => run("edit", content, params, messageId), [run]);

  /** Extends a cut answer in place. */
  const continueAnswer = useCallback((params: GenerationParams, messageId: string) => run("continue", "", params, messageId), [run]);

  /** A new version of an answer run with its own stored settings and seed; `done` says whether it came out identical. */
  const replay = useCallback((messageId: string) => run("replay", "", DEFAULT_GENERATION_PARAMS, messageId), [run]);

  /** A new version of an answer that keeps its first `tokenIndex` tokens, puts `tokenId` next and goes on (the token view). */
  const branch = useCallback(
    (params: GenerationParams, messageId: string, tokenIndex: number, tokenId: number) => run("branch", "", params, messageId, { at: { tokenIndex, tokenId } }),
    [run],
  );

  /** Shows another version of a message (and the newest branch below it); stored on the server. */
  const switchVersion = useCallback((messageId: string) => {
    const id = stateRef.current.conversationId;
    if (!id || controllerRef.current) return;
    switchBranch(id, messageId).then(applyLoaded, (error: unknown) => {
      dispatch({ type: "error", message: `Could not switch versions: ${error instanceof Error ? error.message : String(error)}` });
    });
  }, [applyLoaded]);

  const stop = useCallback(() => {
    if (!stateRef.current.run) return;
    const id = stateRef.current.conversationId;
    if (id) requestStop(id);
    else stopPendingRef.current = true;
  }, [requestStop]);
  /** Re-reads the conversation (`known`: one this page learnt of elsewhere); skipped while an answer streams (its events are newer). */
  const refresh = useCallback((known?: string) => {
    const id = known ?? stateRef.current.conversationId;
    if (id && !controllerRef.current && !wasDeleted(id)) void reload(id);
  }, [reload]);
  const dismissError = useCallback(() => dispatch({ type: "dismiss-error" }), []);

  return { state, loadState, loadError, loadedParams, send, regenerate, editAndResend, continueAnswer, replay, branch, switchVersion, stop, refresh, dismissError };
}
