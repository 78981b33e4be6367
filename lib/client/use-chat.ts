"use client";
/**
 * One conversation in the browser: loads it by id, sends / regenerates / edits through the SSE
 * stream, and stops by aborting the fetch (the server then keeps the partial answer as "stopped").
 */
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import type { GenerationParams } from "@/lib/schemas/params";
import type { ConversationDto } from "@/lib/schemas/conversations";
import { ApiError, getConversation } from "./api";
import { streamChat } from "./chat-stream";
import { chatReducer, initialChatState, lastIndexOfRole, type ChatMode } from "./chat-reducer";

export type LoadState = "loading" | "ready" | "not-found" | "error";
export type RunOutcome = "done" | "stopped" | "rejected" | "failed";

export interface ChatCallbacks {
  /** The server created or confirmed the conversation (first event of every answer). */
  onStarted?: (conversationId: string) => void;
  /** An answer ended in any way; the conversation list may have changed. */
  onFinished?: () => void;
}

// The server saves a stopped answer right after the abort reaches it; re-reading shortly after
// replaces the browser's estimates with the stored stats.
const RESYNC_AFTER_STOP_MS = 800;

export function useChat(conversationId: string | null, callbacks: ChatCallbacks = {}) {
  const [state, dispatch] = useReducer(chatReducer, conversationId, initialChatState);
  const [loadState, setLoadState] = useState<LoadState>(conversationId ? "loading" : "ready");
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loadedParams, setLoadedParams] = useState<GenerationParams | null>(null);
  const controllerRef = useRef<AbortController | null>(null);
  const stateRef = useRef(state);
  const callbacksRef = useRef(callbacks);
  useEffect(() => {
    stateRef.current = state;
    callbacksRef.current = callbacks;
  });

  const applyLoaded = useCallback((conversation: ConversationDto) => {
    dispatch({ type: "loaded", conversation });
    setLoadedParams(conversation.params);
    setLoadState("ready");
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

  // Leaving the page mid-answer aborts it, exactly like Stop.
  useEffect(() => () => controllerRef.current?.abort(), []);

  const run = useCallback(async (mode: ChatMode, content: string, params: GenerationParams): Promise<RunOutcome> => {
    if (controllerRef.current) return "rejected";
    const controller = new AbortController();
    controllerRef.current = controller;
    const nonce = Math.random().toString(36).slice(2);
    dispatch({ type: "submit", mode, content, params, now: performance.now(), iso: new Date().toISOString(), nonce });
    let outcome: RunOutcome = "done";
    // Before `start` nothing was stored, so failures roll back and the composer gets its text again.
    let started = false;
    let finished = false;
    let createdId = stateRef.current.conversationId;
    try {
      const body = { conversationId: stateRef.current.conversationId ?? undefined, content, params, mode };
      for await (const event of streamChat(body, controller.signal)) {
        dispatch({ type: "event", event, now: performance.now() });
        if (event.event === "start") {
          started = true;
          createdId = event.data.conversationId;
          callbacksRef.current.onStarted?.(event.data.conversationId);
        }
        if (event.event === "error") outcome = started ? "failed" : "rejected";
        if (event.event === "done") finished = true;
      }
      // The parser may end quietly on abort instead of throwing; both mean Stop.
      if (controller.signal.aborted && !finished) throw new DOMException("Stopped", "AbortError");
      if (!finished && outcome === "done") outcome = started ? "failed" : "rejected";
      // A stream that ends without `done` was cut (server restart, proxy); the reducer ignores this after `done`.
      dispatch({ type: "failed", message: "The connection closed before the answer was finished." });
    } catch (error) {
      if (controller.signal.aborted) {
        outcome = "stopped";
        dispatch({ type: "stopped", now: performance.now() });
        const id = createdId;
        if (id) setTimeout(() => void reload(id), RESYNC_AFTER_STOP_MS);
      } else if (error instanceof ApiError && error.status > 0) {
        outcome = "rejected";
        dispatch({ type: "rejected", message: error.message });
      } else {
        outcome = started ? "failed" : "rejected";
        dispatch({ type: "failed", message: error instanceof Error ? error.message : String(error) });
      }
    } finally {
      controllerRef.current = null;
      callbacksRef.current.onFinished?.();
    }
    return outcome;
  }, [reload]);

  const send = useCallback((content: string, params: GenerationParams) => run("send", content, params), [run]);

  const regenerate = useCallback((params: GenerationParams) => {
    const messages = stateRef.current.messages;
    const index = lastIndexOfRole(messages, "user");
    return index < 0 ? Promise.resolve<RunOutcome>("rejected") : run("regenerate", messages[index].content, params);
  }, [run]);

  const editAndResend = useCallback((content: string, params: GenerationParams) => run("edit", content, params), [run]);

  const stop = useCallback(() => controllerRef.current?.abort(), []);
  /** Re-reads the conversation from the server; skipped while an answer streams (its events are newer). */
  const refresh = useCallback(() => {
    const id = stateRef.current.conversationId;
    if (id && !controllerRef.current) void reload(id);
  }, [reload]);
  const dismissError = useCallback(() => dispatch({ type: "dismiss-error" }), []);

  return { state, loadState, loadError, loadedParams, send, regenerate, editAndResend, stop, refresh, dismissError };
}
