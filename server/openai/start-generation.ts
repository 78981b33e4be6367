/**
 * Runs the engine until the job has actually started (left the queue and fitted the context), so that
 * requests that cannot run (queue full, prompt too long, model not loaded) still get a proper HTTP status
 * instead of a 200 followed by an in-stream error.
 */
import type { Engine, EngineEvent, GenerateRequest } from "@/server/engine/types";

export type StartEvent = Extract<EngineEvent, { type: "start" }>;

export interface StartedGeneration {
  start: StartEvent;
  /** The rest of the events, from the one after `start`. */
  events: AsyncIterator<EngineEvent>;
}

export async function startGeneration(engine: Engine, request: GenerateRequest, signal: AbortSignal): Promise<StartedGeneration> {
  const events = engine.generate(request, signal)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await events.next();
      if (next.done) throw new Error("the engine ended without a done event");
      const event = next.value;
      if (event.type === "start") return { start: event, events };
      if (event.type === "done") {
        // The engine contract throws before `start` for jobs that cannot run; this is the defensive case.
        throw new Error(event.error ?? `the generation ended before it started (${event.stats.stopReason})`);
      }
    }
  } catch (error) {
    await events.return?.();
    throw error;
  }
}

export type DoneEvent = Extract<EngineEvent, { type: "done" }>;

/**
 * Stops the job after the client went away: aborts it, then reads on until the engine's `done` (which
 * comes before its next decode step), so the job has really ended — and the caller learns how far it got —
 * before the iterator is closed. `next` must be the caller's serialized reader of the same iterator.
 * Never throws.
 */
export async function stopGeneration(
  events: AsyncIterator<EngineEvent>,
  abort: AbortController,
  next: () => Promise<IteratorResult<EngineEvent>> = () => events.next(),
): Promise<DoneEvent | null> {
  abort.abort();
  let done: DoneEvent | null = null;
  try {
    for (;;) {
      const result = await next();
      if (result.done) break;
      if (result.value.type === "done") {
        done = result.value;
        break;
      }
    }
  } catch {
    // The iterator may already be failing; the abort is what matters.
  }
  try {
    await events.return?.();
  } catch {
    // Same.
  }
  return done;
}
