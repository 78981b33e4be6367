/**
 * How a replayed answer compares with the answer it re-ran (same settings, same seed): identical, or
 * the first character where the two texts part. Characters are Unicode code points, so an emoji or an
 * accented letter counts once, as a reader would count it.
 */
import type { ReplayVerdict } from "@/lib/schemas/events";

/** 0-based index of the first position where `a` and `b` differ (one being a prefix of the other counts), or null when equal. */
export function firstDifference<T>(a: readonly T[], b: readonly T[]): number | null {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) if (a[i] !== b[i]) return i;
  return a.length === b.length ? null : n;
}

export function replayVerdict(of: string, original: string, replay: string): ReplayVerdict {
  const divergedAtChar = firstDifference(Array.from(original), Array.from(replay));
  return { of, identical: divergedAtChar === null, divergedAtChar };
}
