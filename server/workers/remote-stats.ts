/**
 * The caption's stats for an answer a worker generated. Token counts come from the worker's `usage`
 * (it tokenized the prompt, we did not); speeds from its llama.cpp-style `timings` where it sends them
 * (BitNet Chat and llama.cpp do), else from what this server saw on the wire (the answer's TokenClock, ticked
 * per streamed chunk), which includes the network.
 */
import type { EngineEvent } from "@/server/engine/types";
import { perSecond, type TokenClock } from "@/server/engine/token-clock";

type Stats = Extract<EngineEvent, { type: "done" }>["stats"];
type StopReason = Stats["stopReason"];

export interface RemoteUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

export interface RemoteTimings {
  cache_n?: number;
  prompt_per_second?: number;
  predicted_per_second?: number;
}

export interface RemoteAnswerTrace {
  /** Started when the request was sent; ticks at every chunk that carried text. */
  clock: TokenClock;
  endedAt: number;
  usage: RemoteUsage | null;
  timings: RemoteTimings | null;
}

const positive = (value: number | undefined): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0;

export function remoteStats(trace: RemoteAnswerTrace, stopReason: StopReason): Stats {
  const promptTokens = positive(trace.usage?.prompt_tokens) ? trace.usage.prompt_tokens : 0;
  const { clock } = trace;
  const completionTokens = positive(trace.usage?.completion_tokens) ? trace.usage.completion_tokens : clock.count;
  const cached = trace.usage?.prompt_tokens_details?.cached_tokens ?? trace.timings?.cache_n;
  const ttftMs = clock.ttftMs ?? trace.endedAt - clock.startedAt;
  const totalMs = trace.endedAt - clock.startedAt;
  // The worker's token count over the time from its first chunk to the end of the stream.
  const seenDecode = clock.decodeTokPerS(completionTokens, trace.endedAt);
  const seenPrefill = perSecond(promptTokens, ttftMs);
  return {
    promptTokens,
    completionTokens,
    cachedPromptTokens: positive(cached) ? cached : 0,
    ttftMs,
    prefillTokPerS: positive(trace.timings?.prompt_per_second) ? trace.timings.prompt_per_second : seenPrefill,
    decodeTokPerS: positive(trace.timings?.predicted_per_second) ? trace.timings.predicted_per_second : seenDecode,
    totalMs,
    stopReason,
  };
}

/**
 * OpenAI's finish_reason → ours. "stop" covers both end of turn and a stop string (workers do not say
 * which); both leave the API as finish_reason "stop" again, so "eos" loses nothing.
 */
export function stopReasonOf(finishReason: string | null | undefined): StopReason {
  return finishReason === "length" ? "length" : "eos";
}
