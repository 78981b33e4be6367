import { percent } from "@/lib/format";

/** A labelled determinate progress bar (role="progressbar" with value text for screen readers). */
export function ProgressBar({ done, total, label, valueText }: { done: number; total: number; label: string; valueText?: string }) {
  const pct = percent(done, total);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-valuetext={valueText ?? `${pct}%`}
      className="h-1.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700"
    >
      <div className="h-full rounded-full bg-indigo-500 transition-[width] duration-300" style={{ width: `${pct}%` }} />
    </div>
  );
}
