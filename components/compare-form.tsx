"use client";
/**
 * The small form behind the composer's Compare button: the two settings to answer the typed
 * question with (a preset or by hand: temperature and system prompt per side), then one click sends
 * it. A popover like the settings, Esc closes it and focus goes back to the button.
 */
import { X } from "lucide-react";
import { useEffect, useId, useRef, useState, type RefObject } from "react";
import { COMPARE_PRESETS, describeVariant, type Variant } from "@/lib/client/compare-variants";
import { generationParamsSchema, PARAM_LIMITS, type GenerationParams } from "@/lib/schemas/params";

interface CompareFormProps {
  id: string;
  open: boolean;
  onClose: () => void;
  returnFocusTo: RefObject<HTMLElement | null>;
  /** The chat's settings: each side is these with its variant laid over. */
  params: GenerationParams;
  /** Why it cannot be sent now (no question typed, model not ready); null when it can. */
  blockedReason: string | null;
  onCompare: (variants: [Variant, Variant]) => void;
}

interface SideDraft {
  temperature: string;
  systemPrompt: string;
}

const toDraft = (params: GenerationParams, variant: Variant): SideDraft => ({
  temperature: String(variant.temperature ?? params.temperature),
  systemPrompt: variant.systemPrompt ?? params.systemPrompt,
});

function toVariant(draft: SideDraft): Variant | string {
  const temperature = generationParamsSchema.shape.temperature.safeParse(draft.temperature.trim() === "" ? Number.NaN : Number(draft.temperature));
  if (!temperature.success) return "Temperature must be between 0 and 2";
  const systemPrompt = generationParamsSchema.shape.systemPrompt.safeParse(draft.systemPrompt);
  if (!systemPrompt.success) return "The system prompt must be at most 8000 characters";
  return { temperature: temperature.data, systemPrompt: systemPrompt.data };
}

const field =
  "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-950 aria-[invalid=true]:border-red-600";

export function CompareForm({ id, open, onClose, returnFocusTo, params, blockedReason, onCompare }: CompareFormProps) {
  const formId = useId();
  const [preset, setPreset] = useState(COMPARE_PRESETS[0]!.name);
  const [sides, setSides] = useState<[SideDraft, SideDraft]>(() => {
    const [a, b] = COMPARE_PRESETS[0]!.variants(params);
    return [toDraft(params, a), toDraft(params, b)];
  });
  // A preset is re-read from the chat's settings each time the form opens (they may have loaded or changed since).
  const [wasOpen, setWasOpen] = useState(open);
  if (open !== wasOpen) {
    setWasOpen(open);
    const chosen = COMPARE_PRESETS.find((p) => p.name === preset);
    if (open && chosen) {
      const [a, b] = chosen.variants(params);
      setSides([toDraft(params, a), toDraft(params, b)]);
    }
  }
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) first.current?.focus();
  }, [open]);

  const close = () => {
    onClose();
    returnFocusTo.current?.focus();
  };
  const variants = sides.map(toVariant);
  const problem = variants.find((v): v is string => typeof v === "string") ?? null;
  const reason = problem ?? blockedReason;
  const full = variants.map((v) => ({ ...params, ...(typeof v === "string" ? {} : v) }));

  const choose = (name: string) => {
    const chosen = COMPARE_PRESETS.find((p) => p.name === name);
    if (!chosen) return;
    const [a, b] = chosen.variants(params);
    setPreset(name);
    setSides([toDraft(params, a), toDraft(params, b)]);
  };
  const edit = (index: number, patch: Partial<SideDraft>) => {
    setPreset("");
    setSides((current) => current.map((s, i) => (i === index ? { ...s, ...patch } : s)) as [SideDraft, SideDraft]);
  };

  return (
    <div
      id={id}
      role="dialog"
      aria-label="Compare two settings"
      hidden={!open}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          e.stopPropagation();
          close();
        }
      }}
      className="absolute inset-x-3 bottom-full z-20 mb-2 max-h-[60dvh] overflow-y-auto rounded-xl border border-zinc-200 bg-white p-3 shadow-xl sm:inset-x-4 dark:border-zinc-700 dark:bg-zinc-900"
    >
      <div className="mb-2 flex items-center justify-between">
        <h2 className="text-sm font-semibold">Compare: one question, two settings, side by side</h2>
        <button type="button" aria-label="Close compare" onClick={close} className="flex size-10 items-center justify-center rounded-lg hover:bg-zinc-100 dark:hover:bg-zinc-800">
          <X className="size-4" aria-hidden />
        </button>
      </div>
      <div role="group" aria-label="Compare presets" className="mb-3 flex flex-wrap gap-1.5">
        {COMPARE_PRESETS.map((p, i) => (
          <button
            key={p.name}
            ref={i === 0 ? first : undefined}
            type="button"
            aria-pressed={preset === p.name}
            onClick={() => choose(p.name)}
            className={`min-h-10 rounded-full border px-3 text-xs font-medium ${
              preset === p.name
                ? "border-indigo-600 bg-indigo-600 text-white"
                : "border-zinc-300 text-zinc-800 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800"
            }`}
          >
            {p.name}
          </button>
        ))}
      </div>
      <form
        id={formId}
        onSubmit={(e) => {
          e.preventDefault();
          if (reason !== null || typeof variants[0] === "string" || typeof variants[1] === "string") return;
          onCompare([variants[0]!, variants[1]!] as [Variant, Variant]);
          onClose();
        }}
        className="grid gap-3 sm:grid-cols-2"
      >
        {sides.map((side, i) => {
          const name = i === 0 ? "A" : "B";
          const temperatureInvalid = typeof toVariant({ ...side, systemPrompt: "" }) === "string";
          return (
            <fieldset key={name} className="space-y-2 rounded-lg border border-zinc-200 p-2 dark:border-zinc-700">
              <legend className="px-1 text-xs font-semibold">
                Answer {name} <span className="font-normal text-zinc-600 dark:text-zinc-400">— {describeVariant(full[i]!, full[1 - i]!)}</span>
              </legend>
              <label className="block text-xs">
                Temperature ({name})
                <input
                  type="number"
                  inputMode="decimal"
                  min={PARAM_LIMITS.temperature.min}
                  max={PARAM_LIMITS.temperature.max}
                  step={PARAM_LIMITS.temperature.step}
                  value={side.temperature}
                  aria-invalid={temperatureInvalid}
                  onChange={(e) => edit(i, { temperature: e.target.value })}
                  className={`mt-1 ${field}`}
                />
              </label>
              <label className="block text-xs">
                System prompt ({name})
                <textarea rows={2} value={side.systemPrompt} onChange={(e) => edit(i, { systemPrompt: e.target.value })} className={`mt-1 resize-y ${field}`} />
              </label>
            </fieldset>
          );
        })}
        <div className="flex flex-wrap items-center justify-between gap-2 sm:col-span-2">
          <p role="status" className="text-xs text-zinc-600 dark:text-zinc-400">
            {reason ?? "Both answers become versions of the question; keep the one to continue with."}
          </p>
          <button
            type="submit"
            disabled={reason !== null}
            className="min-h-10 rounded-lg bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-500 disabled:cursor-not-allowed disabled:bg-zinc-300 dark:disabled:bg-zinc-700"
          >
            Compare
          </button>
        </div>
      </form>
    </div>
  );
}
