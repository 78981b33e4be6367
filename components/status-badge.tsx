import type { UiStatus } from "@/lib/client/chat-reducer";

/** "stopped" / "error" marks on an answer; complete and streaming answers need none. */
export function StatusBadge({ status }: { status: UiStatus }) {
  if (status === "stopped")
    return (
      <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-500/20 dark:text-amber-200">
        stopped
      </span>
    );
  if (status === "error")
    return (
      <span className="rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800 dark:bg-red-500/20 dark:text-red-200">
        error
      </span>
    );
  return null;
}
