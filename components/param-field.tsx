"use client";
/**
 * One numeric setting: a slider and a number box bound to the same value, with a one-line help.
 * The text being typed is kept as-is (so "0." or an empty field can exist mid-edit); only values the
 * shared zod schema accepts reach `onValid`, others are flagged inline with the field's label.
 */
import { useId, useState } from "react";
import type { ZodType } from "zod";
import { withLabel } from "@/lib/client/param-fields";
import { parseParamInput } from "@/lib/client/param-input";

interface ParamFieldProps {
  name: string;
  label: string;
  help: string;
  value: number | null;
  schema: ZodType;
  step: number;
  min?: number;
  /** Without a max there is no slider (the seed). */
  max?: number;
  /** Empty input means null (e.g. seed = random). */
  nullable?: boolean;
  onValid: (value: number | null) => void;
  onValidityChange: (valid: boolean) => void;
}

export function ParamField({ name, label, help, value, schema, step, min, max, nullable = false, onValid, onValidityChange }: ParamFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState(value === null ? "" : String(value));
  const [shown, setShown] = useState(value);
  const [error, setError] = useState<string | null>(null);
  // Adopt values set from outside (conversation loaded, reset, preset) — the React "derive state from props" pattern.
  if (value !== shown) {
    setShown(value);
    setDraft(value === null ? "" : String(value));
    setError(null);
  }

  function change(text: string) {
    setDraft(text);
    const result = parseParamInput(text, schema, nullable);
    if (result.ok) {
      setError(null);
      setShown(result.value);
      onValidityChange(true);
      onValid(result.value);
    } else {
      setError(withLabel(result.message, name, label));
      onValidityChange(false);
    }
  }

  const describedBy = `${id}-help${error ? ` ${id}-error` : ""}`;
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <label htmlFor={id} className="font-medium text-zinc-800 dark:text-zinc-200">
          {label}
        </label>
        {max !== undefined && <span aria-hidden className="text-zinc-600 tabular-nums dark:text-zinc-400">{`${min}–${max}`}</span>}
      </div>
      <div className="flex items-center gap-2">
        {max !== undefined && (
          <input
            type="range"
            aria-label={`${label} slider`}
            aria-describedby={`${id}-help`}
            min={min}
            max={max}
            step={step}
            value={shown ?? min ?? 0}
            onChange={(e) => change(e.target.value)}
            className="h-10 min-w-0 flex-1 accent-indigo-600"
          />
        )}
        <input
          id={id}
          type="number"
          inputMode="decimal"
          step={step}
          min={min}
          max={max}
          placeholder={nullable ? "random" : undefined}
          value={draft}
          aria-invalid={error !== null}
          aria-describedby={describedBy}
          onChange={(e) => change(e.target.value)}
          className={`h-10 rounded-md border bg-white px-2 text-sm tabular-nums focus:outline-none focus:ring-2 dark:bg-zinc-950 ${max !== undefined ? "w-24 shrink-0" : "w-full"} ${
            error ? "border-red-500 focus:ring-red-500/30" : "border-zinc-300 focus:border-indigo-500 focus:ring-indigo-500/30 dark:border-zinc-700"
          }`}
        />
      </div>
      <p id={`${id}-help`} className="text-xs text-zinc-600 dark:text-zinc-400">
        {help}
      </p>
      {error && (
        <p id={`${id}-error`} className="text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
