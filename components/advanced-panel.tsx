"use client";
import { ChevronDown, RotateCcw } from "lucide-react";
import { useId, useState } from "react";
import { DEFAULT_GENERATION_PARAMS, generationParamsSchema, PARAM_LIMITS, type GenerationParams } from "@/lib/schemas/params";
import { ParamField } from "./param-field";

type NumericKey = "temperature" | "topP" | "topK" | "maxNewTokens" | "repetitionPenalty";

const FIELDS: { key: NumericKey; label: string }[] = [
  { key: "temperature", label: "Temperature" },
  { key: "topP", label: "Top-p" },
  { key: "topK", label: "Top-k" },
  { key: "maxNewTokens", label: "Max new tokens" },
  { key: "repetitionPenalty", label: "Repetition penalty" },
];

const SYSTEM_PROMPT_MAX = 8_000;

interface AdvancedPanelProps {
  params: GenerationParams;
  onChange: (params: GenerationParams) => void;
  /** True while any field holds a value the server would reject. */
  onInvalidChange: (invalid: boolean) => void;
  saveError: string | null;
}

/** Collapsible sampling settings. Stays mounted when closed so half-typed values are not lost. */
export function AdvancedPanel({ params, onChange, onInvalidChange, saveError }: AdvancedPanelProps) {
  const [open, setOpen] = useState(false);
  const [invalid, setInvalid] = useState<ReadonlySet<string>>(new Set());
  // Remounts the fields on reset so a half-typed invalid draft is discarded even if the value is unchanged.
  const [resetCount, setResetCount] = useState(0);
  const panelId = useId();
  const promptId = useId();

  function setValidity(key: string, valid: boolean) {
    if (valid === !invalid.has(key)) return;
    const next = new Set(invalid);
    if (valid) next.delete(key);
    else next.add(key);
    setInvalid(next);
    onInvalidChange(next.size > 0);
  }

  function reset() {
    setInvalid(new Set());
    onInvalidChange(false);
    setResetCount((n) => n + 1);
    onChange(DEFAULT_GENERATION_PARAMS);
  }

  return (
    <div className="rounded-xl border border-zinc-200 dark:border-zinc-800">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full items-center justify-between px-3 py-2 text-sm font-medium text-zinc-700 hover:bg-zinc-50 dark:text-zinc-300 dark:hover:bg-zinc-900"
      >
        <span>
          Advanced settings
          {invalid.size > 0 && <span className="ml-2 text-xs font-normal text-red-600 dark:text-red-400">needs attention</span>}
        </span>
        <ChevronDown className={`size-4 transition-transform ${open ? "rotate-180" : ""}`} aria-hidden />
      </button>
      <div id={panelId} hidden={!open} className="max-h-[50dvh] space-y-3 overflow-y-auto border-t border-zinc-200 p-3 dark:border-zinc-800">
        <div className="flex flex-col gap-1">
          <label htmlFor={promptId} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
            System prompt
          </label>
          <textarea
            id={promptId}
            value={params.systemPrompt}
            maxLength={SYSTEM_PROMPT_MAX}
            rows={2}
            onChange={(e) => onChange({ ...params, systemPrompt: e.target.value })}
            className="max-h-40 w-full resize-y rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-950 [field-sizing:content]"
          />
        </div>
        <div key={resetCount} className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          {FIELDS.map(({ key, label }) => {
            const limits = PARAM_LIMITS[key];
            return (
              <ParamField
                key={key}
                label={label}
                hint={`${limits.min}–${limits.max}`}
                value={params[key]}
                schema={generationParamsSchema.shape[key]}
                step={limits.step}
                min={limits.min}
                max={limits.max}
                onValid={(value) => onChange({ ...params, [key]: value })}
                onValidityChange={(valid) => setValidity(key, valid)}
              />
            );
          })}
          <ParamField
            label="Seed"
            hint="empty = random"
            value={params.seed}
            schema={generationParamsSchema.shape.seed}
            step={1}
            min={0}
            nullable
            onValid={(value) => onChange({ ...params, seed: value })}
            onValidityChange={(valid) => setValidity("seed", valid)}
          />
        </div>
        <div className="flex items-center justify-between gap-2">
          <p className="text-xs text-zinc-500">Saved with this conversation; new chats start from your last settings.</p>
          <button
            type="button"
            onClick={reset}
            className="inline-flex shrink-0 items-center gap-1 rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            <RotateCcw className="size-3.5" aria-hidden />
            Reset to defaults
          </button>
        </div>
        {saveError && <p role="alert" className="text-xs text-red-600 dark:text-red-400">Settings not saved: {saveError}</p>}
      </div>
    </div>
  );
}
