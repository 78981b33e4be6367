"use client";
/** Polls `GET /api/model`: every second while the model is on its way, every ten once it is ready. */
import { useCallback, useEffect, useRef, useState } from "react";
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import { getModelStatus } from "./api";

const FAST_MS = 1_000;
const SLOW_MS = 10_000;

export interface ModelStatusState {
  status: ModelStatusDto | null;
  /** Set when the server itself could not be reached. */
  unreachable: string | null;
  /** Poll now (after an action such as "use demo" or "retry"). */
  refresh: () => void;
  /**
   * Shows a status the server just answered with (an action's 202), until the next poll: without it
   * the panel would show the stale status (the error it came from) while that poll is on its way.
   */
  show: (status: ModelStatusDto) => void;
}

export function useModelStatus(): ModelStatusState {
  const [status, setStatus] = useState<ModelStatusDto | null>(null);
  const [unreachable, setUnreachable] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    let delay = FAST_MS;
    getModelStatus(controller.signal)
      .then((next) => {
        setStatus(next);
        setUnreachable(null);
        if (next.state === "ready") delay = SLOW_MS;
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setUnreachable(error instanceof Error ? error.message : String(error));
      })
      .finally(() => {
        if (!controller.signal.aborted) timer.current = setTimeout(() => setTick((t) => t + 1), delay);
      });
    return () => {
      controller.abort();
      if (timer.current) clearTimeout(timer.current);
    };
  }, [tick]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  const show = useCallback((next: ModelStatusDto) => {
    setStatus(next);
    setUnreachable(null);
  }, []);
  return { status, unreachable, refresh, show };
}
