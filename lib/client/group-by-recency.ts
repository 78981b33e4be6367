/** Sidebar grouping: Today / Yesterday / Previous 7 days / Older, by local calendar day, newest first. */

export type RecencyGroup = "Today" | "Yesterday" | "Previous 7 days" | "Older";

export const RECENCY_ORDER: readonly RecencyGroup[] = ["Today", "Yesterday", "Previous 7 days", "Older"];

const DAY_MS = 86_400_000;

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

export function recencyGroup(iso: string, now: Date): RecencyGroup {
  const time = new Date(iso).getTime();
  const today = startOfDay(now);
  // Calendar days, not 24 h windows: "yesterday 23:50" is Yesterday even when it was 20 minutes ago.
  if (time >= today) return "Today";
  if (time >= today - DAY_MS) return "Yesterday";
  if (time >= today - 7 * DAY_MS) return "Previous 7 days";
  return "Older";
}

export function groupByRecency<T extends { updatedAt: string }>(
  items: readonly T[],
  now: Date = new Date(),
): { group: RecencyGroup; items: T[] }[] {
  const sorted = [...items].sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
  const buckets = new Map<RecencyGroup, T[]>();
  for (const item of sorted) {
    const group = recencyGroup(item.updatedAt, now);
    const bucket = buckets.get(group) ?? [];
    bucket.push(item);
    buckets.set(group, bucket);
  }
  return RECENCY_ORDER.filter((g) => buckets.has(g)).map((group) => ({ group, items: buckets.get(group)! }));
}
