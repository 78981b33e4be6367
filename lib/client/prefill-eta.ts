/**
 * How long the model will still read the prompt, from this machine's measured prefill speed for this very
 * prompt (tokens done over the time they took): re-estimated at each progress event, so it follows the
 * machine's load and the slowdown of a growing context.
 */
export interface PrefillProgress {
  done: number;
  total: number;
  /** Page clock (ms): when prompt processing started, and when `done` was reported. */
  startedAt: number;
  at: number;
}

/** Seconds left, or null before anything was measured (or once done). */
export function prefillSecondsLeft(p: PrefillProgress): number | null {
  const elapsed = p.at - p.startedAt;
  if (p.done <= 0 || p.done >= p.total || elapsed <= 0) return null;
  return ((p.total - p.done) * elapsed) / p.done / 1000;
}

export function formatTimeLeft(seconds: number): string {
  if (seconds < 1) return "less than a second left";
  if (seconds < 60) return `about ${Math.ceil(seconds)} s left`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return `about ${minutes} min${rest ? ` ${rest} s` : ""} left`;
}

/** "Reading the prompt — 640 / 1692 tokens · about 40 s left". */
export function prefillText(p: PrefillProgress): string {
  const left = prefillSecondsLeft(p);
  return `Reading the prompt — ${p.done} / ${p.total} tokens${left === null ? "" : ` · ${formatTimeLeft(left)}`}`;
}
