/**
 * How much of the model's context window the conversation uses (the replaced app's "token usage
 * visualization" idea): prompt + answer tokens of the latest answer against the context length.
 * `used` is "pending" while an answer waits for its prompt to be counted (see contextUsage).
 */
export function ContextMeter({ used: usage, total }: { used: number | "pending"; total: number }) {
  if (usage === "pending") {
    return (
      <div className="hidden items-center gap-1.5 text-xs text-zinc-600 sm:flex dark:text-zinc-400" title="Context window: counting the new answer’s prompt">
        <span>Context</span>
        <div role="meter" aria-label="Context window used" aria-valuemin={0} aria-valuemax={total} aria-valuetext="counting the prompt" className="h-1.5 w-16 animate-pulse rounded-full bg-zinc-200 dark:bg-zinc-700" />
        <span className="tabular-nums">…</span>
      </div>
    );
  }
  const used = usage;
  const pct = Math.min(100, Math.round((used / total) * 100));
  const tone = pct >= 90 ? "bg-red-500" : pct >= 70 ? "bg-amber-500" : "bg-emerald-500";
  return (
    <div className="hidden items-center gap-1.5 text-xs text-zinc-600 sm:flex dark:text-zinc-400" title={`Context window: ${used} of ${total} tokens used by the last answer`}>
      <span>Context</span>
      <div
        role="meter"
        aria-label="Context window used"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={used}
        aria-valuetext={`${used} of ${total} tokens`}
        className="h-1.5 w-16 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700"
      >
        <div className={`h-full ${tone}`} style={{ width: `${pct}%` }} />
      </div>
      <span className="tabular-nums">{pct}%</span>
    </div>
  );
}
