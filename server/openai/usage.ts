/**
 * Token counts and timings reported with every completion, from the engine's measured stats.
 * `timings` mirrors llama.cpp's server field of the same name, so tools that read it there work here.
 */
import type { CompletionUsage } from "openai/resources/completions";
import type { EngineStats } from "@/server/engine/types";

export interface Timings {
  /** Prompt tokens served from the KV cache (not recomputed). */
  cache_n: number;
  /** Prompt tokens processed (not cached). */
  prompt_n: number;
  /** Time to the first token. */
  prompt_ms: number;
  prompt_per_token_ms: number;
  prompt_per_second: number;
  predicted_n: number;
  predicted_ms: number;
  predicted_per_token_ms: number;
  predicted_per_second: number;
}

const round = (value: number, digits = 3): number => {
  const scale = 10 ** digits;
  return Number.isFinite(value) ? Math.round(value * scale) / scale : 0;
};

export function toUsage(stats: EngineStats): CompletionUsage {
  return {
    prompt_tokens: stats.promptTokens,
    completion_tokens: stats.completionTokens,
    total_tokens: stats.promptTokens + stats.completionTokens,
    prompt_tokens_details: { cached_tokens: stats.cachedPromptTokens },
  };
}

export function toTimings(stats: EngineStats): Timings {
  const promptN = Math.max(0, stats.promptTokens - stats.cachedPromptTokens);
  const predictedMs = Math.max(0, stats.totalMs - stats.ttftMs);
  return {
    cache_n: stats.cachedPromptTokens,
    prompt_n: promptN,
    prompt_ms: round(stats.ttftMs),
    prompt_per_token_ms: promptN > 0 ? round(stats.ttftMs / promptN) : 0,
    prompt_per_second: round(stats.prefillTokPerS),
    predicted_n: stats.completionTokens,
    predicted_ms: round(predictedMs),
    predicted_per_token_ms: stats.completionTokens > 0 ? round(predictedMs / stats.completionTokens) : 0,
    predicted_per_second: round(stats.decodeTokPerS),
  };
}
