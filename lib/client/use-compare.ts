"use client";
/**
 * A compare pair from the chat page: sends one question with two settings (`mode: "compare"`),
 * folds both answers' events into two columns, follows a pair that was already running (reload,
 * another tab), and keeps the answer the user picks (it becomes the active branch; the other stays a
 * version). Stop goes through the conversation's `/stop`, which stops both.
 */
import { useCallback, useEffect, useReducer, useRef } from "react";
import type { ChatEvent } from "@/lib/schemas/events";
import type { GenerationParams } from "@/lib/schemas/params";
import { ApiError, stopAnswer, switchBranch } from "./api";
import { followAnswer, streamChat } from "./chat-stream";
import { compareReducer, type CompareState } from "./compare-reducer";

export interface CompareCallbacks {
  /** The server created or confirmed the conversation. */
  onStarted?: (conversationId: string) => void;
  /** The pair ended (any way); the conversation and the list may have changed. */
  onFinished?: () => void;
  /** An answer was kept: the conversation's active branch changed. */
  onKept?: (conversationId: string) => void;
}

const CUT = "The connection closed before the answer was finished.";

export function useCompare(conversationId: string | null, callbacks: CompareCallbacks = {}) {
  const [state, dispatch] = useReducer(compareReducer, null);
  const controllerRef = useRef<AbortController | null>(null);
  const stateRef = useRef<CompareState | null>(state);
  const callbacksRef = useRef(callbacks);
  useEffect(() => {
    stateRef.current = state;
    callbacksRef.current = callbacks;
  });
  useEffect(() => () => controllerRef.current?.abort(), []);

  /** Reads the pair's events to their end; resolves to the error when nothing was stored (refused, or neither answer ran). */
  const read = useCallback(async (events: AsyncGenerator<ChatEvent>, controller: AbortController): Promise<string | null> => {
    let announced = false;
    const neverRan = new Map<number, string>();
    try {
      for await (const event of events) {
        dispatch({ type: "event", event, now: performance.now() });
        if (event.event === "compare" && !announced) {
          announced = true;
          callbacksRef.current.onStarted?.(event.data.conversationId);
        }
        if (event.event === "start" && event.data.answer !== undefined) neverRan.delete(event.data.answer);
        if (event.event === "error" && event.data.answer !== undefined && event.data.code !== "save_failed" && event.data.code !== "not_saved") {
          neverRan.set(event.data.answer, event.data.message);
        }
      }
      if (!controller.signal.aborted) dispatch({ type: "ended", message: CUT });
      return neverRan.size === 2 ? (neverRan.get(0) ?? null) : null;
    } catch (error) {
      if (controller.signal.aborted) return null;
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof ApiError && error.status > 0) {
        dispatch({ type: "rejected", message });
        return message;
      }
      dispatch({ type: "ended", message });
      return null;
    } finally {
      if (controllerRef.current === controller) controllerRef.current = null;
      callbacksRef.current.onFinished?.();
    }
  }, []);

  /** Sends `question` answered once with each of `variants` (full settings: `base` with each variant laid over it). */
  const start = useCallback(
    async (question: string, base: GenerationParams, variants: [Partial<GenerationParams>, Partial<GenerationParams>]): Promise<string | null> => {
      if (controllerRef.current) return "An answer is still running.";
      const controller = new AbortController();
      controllerRef.current = controller;
      dispatch({ type: "submit", question, variants: [{ ...base, ...variants[0] }, { ...base, ...variants[1] }], now: performance.now() });
      const body = { conversationId: conversationId ?? stateRef.current?.conversationId ?? undefined, content: question, params: base, mode: "compare" as const, variants };
      return read(streamChat(body, controller.signal), controller);
    },
    [conversationId, read],
  );

  /** Follows the pair running in this conversation (its `/stream` starts with the `compare` event). */
  const attach = useCallback(
    (id: string) => {
      if (controllerRef.current) return;
      const controller = new AbortController();
      controllerRef.current = controller;
      void read(followAnswer(id, controller.signal), controller);
    },
    [read],
  );

  const stop = useCallback(() => {
    const id = stateRef.current?.conversationId ?? conversationId;
    if (id) void stopAnswer(id).catch(() => undefined);
  }, [conversationId]);

  /** Continues the conversation with answer `index`: the other one stays reachable as a version. */
  const keep = useCallback(async (index: number): Promise<string | null> => {
    const current = stateRef.current;
    const messageId = current?.columns[index]?.messageId;
    if (!current?.conversationId || !messageId) return null;
    try {
      await switchBranch(current.conversationId, messageId);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    dispatch({ type: "clear" });
    callbacksRef.current.onKept?.(current.conversationId);
    return null;
  }, []);

  const dismiss = useCallback(() => dispatch({ type: "clear" }), []);

  return { state, start, attach, stop, keep, dismiss };
}
