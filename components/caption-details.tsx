import { describeStopReason } from "@/lib/client/caption";
import { formatDuration, formatRate } from "@/lib/format";
import type { GenerationParams } from "@/lib/schemas/params";
import type { GenerationStats } from "@/lib/schemas/stats";
import { useEfficiencyRows } from "./efficiency-rows";

interface CaptionDetailsProps {
  id: string;
  stats: GenerationStats;
  params: GenerationParams | null;
  droppedTurns: number;
}

/** The numbers behind a caption, the way llama.cpp's and LM Studio's UIs break them down. */
export function CaptionDetails({ id, stats, params, droppedTurns }: CaptionDetailsProps) {
  const efficiency = useEfficiencyRows(stats);
  const rows: [string, string][] = [
    ["Time to first token", formatDuration(stats.ttftMs)],
    ["Prompt tokens", stats.cachedPromptTokens > 0 ? `${stats.promptTokens} (${stats.cachedPromptTokens} cached)` : String(stats.promptTokens)],
    ["Prefill speed", formatRate(stats.prefillTokPerS)],
    ["Generated tokens", String(stats.completionTokens)],
    ["Generation speed", formatRate(stats.decodeTokPerS)],
    ...(stats.draftTokens ? ([["Draft tokens accepted", `${stats.acceptedDraftTokens ?? 0} of ${stats.draftTokens}`]] as [string, string][]) : []),
    ...(stats.answersSharing !== undefined ? ([["Answers sharing the model", describeSharing(stats.answersSharing)]] as [string, string][]) : []),
    ["Total time", formatDuration(stats.totalMs)],
    ...(stats.continuedRuns ? ([["Continued", `${stats.continuedRuns - 1}× — the figures cover all ${stats.continuedRuns} runs; first-token and prefill figures are the last run's`]] as [string, string][]) : []),
    ["Stop reason", describeStopReason(stats.stopReason)],
    ...efficiency,
  ];
  if (droppedTurns > 0) rows.push(["Context", `${droppedTurns} older turn${droppedTurns === 1 ? "" : "s"} left out`]);
  if (params) {
    rows.push(
      ["Temperature", String(params.temperature)],
      ["Top-p", String(params.topP)],
      ["Top-k", String(params.topK)],
      ["Max new tokens", String(params.maxNewTokens)],
      ["Repetition penalty", String(params.repetitionPenalty)],
      ["Seed", params.seed === null ? "random" : String(params.seed)],
    );
  }
  return (
    <div
      id={id}
      role="region"
      aria-label="Generation details"
      className="absolute bottom-full left-0 z-20 mb-1 w-96 max-w-[calc(100vw-2rem)] rounded-lg border border-zinc-200 bg-white p-3 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
    >
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        {rows.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-zinc-500 dark:text-zinc-400">{term}</dt>
            <dd className="text-right tabular-nums text-zinc-900 dark:text-zinc-100">{value}</dd>
          </div>
        ))}
      </dl>
      {params?.systemPrompt && (
        <p className="mt-2 border-t border-zinc-200 pt-2 text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
          <span className="font-medium text-zinc-700 dark:text-zinc-300">System prompt: </span>
          <span className="line-clamp-3 whitespace-pre-wrap">{params.systemPrompt}</span>
        </p>
      )}
    </div>
  );
}

/** Its own speed is what the rows above show; this says how many answers it was computed alongside. */
function describeSharing(answers: number): string {
  return answers <= 1 ? "none (ran alone)" : `up to ${answers} at once (its speed above is its own)`;
}
