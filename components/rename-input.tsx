"use client";
import { useRef, useState } from "react";
import { MAX_TITLE_CHARS } from "@/lib/schemas/conversations";

/** Inline title editor: Enter or leaving the field saves, Esc cancels. */
export function RenameInput({ initial, onSubmit, onCancel }: { initial: string; onSubmit: (title: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(initial);
  // Enter and Esc unmount the field, which can fire blur: settle exactly once.
  const settled = useRef(false);
  const finish = (save: boolean) => {
    if (settled.current) return;
    settled.current = true;
    if (save) onSubmit(value);
    else onCancel();
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        finish(true);
      }}
      className="p-1"
    >
      <input
        autoFocus
        aria-label="Conversation title"
        value={value}
        maxLength={MAX_TITLE_CHARS}
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => finish(true)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            e.stopPropagation();
            finish(false);
          }
        }}
        className="w-full rounded-md border border-indigo-500 bg-white px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:bg-zinc-950"
      />
    </form>
  );
}
