/**
 * The numbers under each answer. While streaming they are measured in the browser; once `done`
 * arrives the server's stats replace them (they exclude network time and count exactly).
 */
import { formatRate, formatSeconds, formatTokens } from "@/lib/format";
import type { GenerationStats, StopReason } from "@/lib/schemas/stats";

export interface CaptionNumbers {
  totalMs: number;
  tokens: number;
  tokensPerSecond: number;
}

/** Browser-side timing of one answer in progress (performance.now() milliseconds). */
export interface LiveTiming {
  startedAt: number;
  firstTokenAt: number | null;
  lastTokenAt: number | null;
  tokens: number;
}

export function captionFromStats(stats: GenerationStats): CaptionNumbers {
  return { totalMs: stats.totalMs, tokens: stats.completionTokens, tokensPerSecond: stats.decodeTokPerS };
}

/**
 * Decode speed counts the tokens after the first one over the time since the first one: the first
 * token's latency is prefill, which the details show separately (as llama.cpp's UI does).
 */
export function liveDecodeRate(timing: LiveTiming): number {
  if (timing.firstTokenAt === null || timing.lastTokenAt === null || timing.tokens < 2) return 0;
  const spanMs = timing.lastTokenAt - timing.firstTokenAt;
  return spanMs > 0 ? ((timing.tokens - 1) * 1000) / spanMs : 0;
}

export function captionFromLive(timing: LiveTiming, now: number): CaptionNumbers {
  return {
    totalMs: Math.max(0, now - timing.startedAt),
    tokens: timing.tokens,
    tokensPerSecond: liveDecodeRate(timing),
  };
}

/** `⏱ 4.2 s · 🔢 73 tokens · 🚀 17.4 tok/s` — the format the replaced app used, kept on purpose. */
export function formatCaption(numbers: CaptionNumbers): string {
  return `⏱ ${formatSeconds(numbers.totalMs)} · 🔢 ${formatTokens(numbers.tokens)} · 🚀 ${formatRate(numbers.tokensPerSecond)}`;
}

const STOP_REASONS: Record<StopReason, string> = {
  eos: "end of answer (model stopped)",
  stop: "stop sequence",
  length: "max new tokens reached",
  context: "context window full",
  abort: "stopped by user",
  error: "error",
};

export function describeStopReason(reason: StopReason): string {
  return STOP_REASONS[reason] ?? reason;
}
