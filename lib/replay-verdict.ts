/**
 * How a replayed answer compares with the answer it re-ran (same settings, same seed): identical, or
 * where the two part — by token id when both have token records (the exact claim: same tokens), and
 * always by character for the reader. Characters are Unicode code points, so an emoji or an accented
 * letter counts once, as a reader would count it.
 */
import type { ReplayVerdict } from "@/lib/schemas/events";

/** 0-based index of the first position where `a` and `b` differ (one being a prefix of the other counts), or null when equal. */
export function firstDifference<T>(a: readonly T[], b: readonly T[]): number | null {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) if (a[i] !== b[i]) return i;
  return a.length === b.length ? null : n;
}

export interface ReplayedAnswer {
  text: string;
  /** Token ids, when the answer has token records. */
  tokenIds: readonly number[] | null;
}

export function replayVerdict(of: string, original: ReplayedAnswer, replay: ReplayedAnswer): ReplayVerdict {
  const divergedAtChar = firstDifference(Array.from(original.text), Array.from(replay.text));
  if (original.tokenIds && replay.tokenIds) {
    const divergedAtToken = firstDifference(original.tokenIds, replay.tokenIds);
    return { of, identical: divergedAtToken === null && divergedAtChar === null, compared: "tokens", divergedAtToken, divergedAtChar };
  }
  return { of, identical: divergedAtChar === null, compared: "text", divergedAtToken: null, divergedAtChar };
}
