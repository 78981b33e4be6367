"use client";
/**
 * The efficiency meter in an answer's details: weight bytes per token of the loaded model, the
 * answer's weight bandwidth and its share of this machine's memory bandwidth, and the same answer's
 * time at 16-bit weights. Figures use the model loaded now (answers do not record which model wrote them).
 */
import { answerEfficiency } from "@/lib/efficiency";
import { useMemoryBandwidth } from "@/lib/client/use-memory-bandwidth";
import { formatBytes, formatDuration } from "@/lib/format";
import type { GenerationStats } from "@/lib/schemas/stats";
import { useApp } from "./app-context";

export function useEfficiencyRows(stats: GenerationStats): [string, string][] {
  const weights = useApp().model.status?.weights ?? null;
  const bandwidth = useMemoryBandwidth(weights !== null);
  if (!weights) return [];
  const e = answerEfficiency(stats, weights, bandwidth);
  if (!e) return [];
  return [
    ["Weights read per token", formatBytes(e.bytesPerToken)],
    [
      "Weight bandwidth",
      `${formatBytes(e.weightBytesPerSecond)}/s${e.shareOfBandwidth !== null ? ` (${Math.round(e.shareOfBandwidth * 100)}% of memory)` : ""}`,
    ],
    [`At 16-bit weights (${e.sizeRatio.toFixed(1)}× bytes)`, `≈ ${formatDuration(e.fp16TotalMs)}`],
  ];
}
