/**
 * The caption's stats for an answer a worker generated. Token counts come from the worker's `usage`
 * (it tokenized the prompt, we did not); speeds from its llama.cpp-style `timings` where it sends them
 * (BitNet Chat and llama.cpp do), else from what this server saw on the wire, which includes the network.
 */
import type { EngineEvent } from "@/server/engine/types";

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
  startedAt: number;
  firstTokenAt: number | null;
  endedAt: number;
  streamedTokens: number;
  usage: RemoteUsage | null;
  timings: RemoteTimings | null;
}

const positive = (value: number | undefined): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0;

export function remoteStats(trace: RemoteAnswerTrace, stopReason: StopReason): Stats {
  const promptTokens = positive(trace.usage?.prompt_tokens) ? trace.usage.prompt_tokens : 0;
  const completionTokens = positive(trace.usage?.completion_tokens) ? trace.usage.completion_tokens : trace.streamedTokens;
  const cached = trace.usage?.prompt_tokens_details?.cached_tokens ?? trace.timings?.cache_n;
  const ttftMs = (trace.firstTokenAt ?? trace.endedAt) - trace.startedAt;
  const totalMs = trace.endedAt - trace.startedAt;
  const decodeMs = totalMs - ttftMs;
  const seenDecode = completionTokens > 1 && decodeMs > 0 ? ((completionTokens - 1) / decodeMs) * 1000 : 0;
  const seenPrefill = promptTokens > 0 && ttftMs > 0 ? (promptTokens / ttftMs) * 1000 : 0;
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
