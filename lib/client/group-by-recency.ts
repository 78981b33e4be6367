/**
 * Sidebar grouping, newest first: Pinned, then Today / Yesterday / Previous 7 days / Previous 30 days
 * by local calendar day, then one group per month ("October", or "October 2025" for another year).
 */

const DAY_MS = 86_400_000;

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

export function recencyGroup(iso: string, now: Date): string {
  const date = new Date(iso);
  const time = date.getTime();
  const today = startOfDay(now);
  // Calendar days, not 24 h windows: "yesterday 23:50" is Yesterday even when it was 20 minutes ago.
  if (time >= today) return "Today";
  if (time >= today - DAY_MS) return "Yesterday";
  if (time >= today - 7 * DAY_MS) return "Previous 7 days";
  if (time >= today - 30 * DAY_MS) return "Previous 30 days";
  const month = date.toLocaleString("en-US", { month: "long" });
  return date.getFullYear() === now.getFullYear() ? month : `${month} ${date.getFullYear()}`;
}

/** Items come back newest first, so groups appear in time order as they are first met. */
export function groupByRecency<T extends { updatedAt: string; pinned?: boolean }>(
  items: readonly T[],
  now: Date = new Date(),
): { group: string; items: T[] }[] {
  const sorted = [...items].sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
  const buckets = new Map<string, T[]>();
  for (const item of [...sorted.filter((i) => i.pinned), ...sorted.filter((i) => !i.pinned)]) {
    const group = item.pinned ? "Pinned" : recencyGroup(item.updatedAt, now);
    const bucket = buckets.get(group) ?? [];
    bucket.push(item);
    buckets.set(group, bucket);
  }
  return [...buckets].map(([group, groupItems]) => ({ group, items: groupItems }));
}
