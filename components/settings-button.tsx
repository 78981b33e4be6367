"use client";
import { Settings2 } from "lucide-react";
import type { Ref } from "react";

/** The gear next to the composer that opens the settings popover; a dot marks a value needing attention. */
export function SettingsButton({ ref, open, invalid, controls, onToggle }: { ref: Ref<HTMLButtonElement>; open: boolean; invalid: boolean; controls: string; onToggle: () => void }) {
  return (
    <button
      ref={ref}
      type="button"
      aria-label={invalid ? "Settings (a value needs attention)" : "Settings"}
      title="Settings"
      aria-expanded={open}
      aria-controls={controls}
      onClick={onToggle}
      className={`relative flex size-10 shrink-0 items-center justify-center rounded-xl text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800 ${open ? "bg-zinc-100 dark:bg-zinc-800" : ""}`}
    >
      <Settings2 className="size-5" aria-hidden />
      {invalid && <span aria-hidden className="absolute right-1.5 top-1.5 size-2 rounded-full bg-red-600" />}
    </button>
  );
}
