"use client";
import { ChevronLeft, ChevronRight } from "lucide-react";
import type { SiblingsDto } from "@/lib/schemas/conversations";

const buttonClass =
  "inline-flex items-center justify-center rounded-md p-1 text-zinc-600 hover:bg-zinc-200 hover:text-zinc-900 disabled:opacity-40 max-sm:min-h-10 max-sm:min-w-10 dark:text-zinc-400 dark:hover:bg-zinc-700 dark:hover:text-zinc-100";

/** `‹ 2/3 ›`: the versions of a question (edits) or of an answer (regenerations), as in ChatGPT. */
export function VersionSwitcher({ siblings, onSwitch, disabled }: { siblings: SiblingsDto; onSwitch: (messageId: string) => void; disabled?: boolean }) {
  const { index, count, ids } = siblings;
  if (count < 2) return null;
  return (
    <div role="group" aria-label="Versions" className="flex items-center text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
      <button type="button" aria-label="Previous version" className={buttonClass} disabled={disabled || index <= 0} onClick={() => onSwitch(ids[index - 1])}>
        <ChevronLeft className="size-3.5" aria-hidden />
      </button>
      <span data-testid="version-position">
        {index + 1}/{count}
      </span>
      <button type="button" aria-label="Next version" className={buttonClass} disabled={disabled || index >= count - 1} onClick={() => onSwitch(ids[index + 1])}>
        <ChevronRight className="size-3.5" aria-hidden />
      </button>
    </div>
  );
}
