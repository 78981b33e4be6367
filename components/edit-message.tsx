"use client";
import { useState } from "react";
import { MAX_MESSAGE_CHARS } from "@/lib/schemas/chat";

/** Inline editor for the last user message: saving replaces it and its answer, then resends. */
export function EditMessage({ initial, onSave, onCancel }: { initial: string; onSave: (text: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(initial);
  const empty = value.trim().length === 0;
  return (
    <form
      className="flex w-full flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (!empty) onSave(value);
      }}
    >
      <textarea
        autoFocus
        aria-label="Edit message"
        value={value}
        maxLength={MAX_MESSAGE_CHARS}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            onCancel();
          } else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            if (!empty) onSave(value);
          }
        }}
        className="min-h-20 w-full resize-y rounded-lg border border-indigo-400 bg-white p-2 text-sm text-zinc-900 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:bg-zinc-950 dark:text-zinc-100 [field-sizing:content]"
      />
      <div className="flex justify-end gap-2">
        <button type="button" onClick={onCancel} className="rounded-lg px-3 py-1 text-sm hover:bg-zinc-200 dark:hover:bg-zinc-800">
          Cancel edit
        </button>
        <button type="submit" disabled={empty} className="rounded-lg bg-indigo-600 px-3 py-1 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50">
          Save and resend
        </button>
      </div>
    </form>
  );
}
