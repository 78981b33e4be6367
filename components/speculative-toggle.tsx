"use client";
/**
 * The speculative-decoding switch of the settings panel. Unset in a conversation's settings means the
 * app's default, so the box shows that default until the user chooses.
 */
import { useId } from "react";
import { SPECULATIVE_BY_DEFAULT } from "@/lib/speculative-default";

interface SpeculativeToggleProps {
  value: boolean | undefined;
  onChange: (value: boolean) => void;
}

export function SpeculativeToggle({ value, onChange }: SpeculativeToggleProps) {
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="checkbox"
        checked={value ?? SPECULATIVE_BY_DEFAULT}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={`${id}-help`}
        className="mt-0.5 size-4 accent-indigo-600"
      />
      <div className="flex flex-col gap-0.5">
        <label htmlFor={id} className="text-xs font-medium text-zinc-800 dark:text-zinc-200">
          Speculative decoding
        </label>
        <p id={`${id}-help`} className="text-xs text-zinc-600 dark:text-zinc-400">
          Guesses the next words from earlier text (quotes, code edits, lists) and checks them in one pass: the same answer, faster when it repeats what came before.
        </p>
      </div>
    </div>
  );
}
