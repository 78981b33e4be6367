"use client";
import { Columns2 } from "lucide-react";
import type { Ref } from "react";

/** Next to the composer: opens the compare form (one question, two settings side by side). */
export function CompareButton({ ref, open, controls, onToggle }: { ref: Ref<HTMLButtonElement>; open: boolean; controls: string; onToggle: () => void }) {
  return (
    <button
      ref={ref}
      type="button"
      aria-label="Compare"
      title="Compare two settings side by side"
      aria-expanded={open}
      aria-controls={controls}
      onClick={onToggle}
      className={`flex size-10 shrink-0 items-center justify-center rounded-xl text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800 ${open ? "bg-zinc-100 dark:bg-zinc-800" : ""}`}
    >
      <Columns2 className="size-5" aria-hidden />
    </button>
  );
}
