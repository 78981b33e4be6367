"use client";
/**
 * One numeric setting. The text being typed is kept as-is (so "0." or an empty field can exist
 * mid-edit); only values the shared zod schema accepts reach `onValid`, others are flagged inline.
 */
import { useId, useState } from "react";
import type { ZodType } from "zod";
import { parseParamInput } from "@/lib/client/param-input";

interface ParamFieldProps {
  label: string;
  hint: string;
  value: number | null;
  schema: ZodType;
  step: number;
  min?: number;
  max?: number;
  /** Empty input means null (e.g. seed = random). */
  nullable?: boolean;
  onValid: (value: number | null) => void;
  onValidityChange: (valid: boolean) => void;
}

export function ParamField({ label, hint, value, schema, step, min, max, nullable = false, onValid, onValidityChange }: ParamFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState(value === null ? "" : String(value));
  const [shown, setShown] = useState(value);
  const [error, setError] = useState<string | null>(null);
  // Adopt values set from outside (conversation loaded, reset) — the React "derive state from props" pattern.
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
      setError(result.message);
      onValidityChange(false);
    }
  }

  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-baseline justify-between text-xs">
        <label htmlFor={id} className="font-medium text-zinc-700 dark:text-zinc-300">
          {label}
        </label>
        <span aria-hidden className="text-zinc-400">{hint}</span>
      </div>
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
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => change(e.target.value)}
        className={`w-full rounded-md border bg-white px-2 py-1 text-sm tabular-nums focus:outline-none focus:ring-2 dark:bg-zinc-950 ${
          error ? "border-red-500 focus:ring-red-500/30" : "border-zinc-300 focus:border-indigo-500 focus:ring-indigo-500/30 dark:border-zinc-700"
        }`}
      />
      {error && (
        <p id={`${id}-error`} className="text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
