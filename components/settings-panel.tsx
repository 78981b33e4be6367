"use client";
/**
 * The generation settings as a popover above the composer (opened by the gear next to it), so the
 * conversation keeps its space. Stays mounted when closed so half-typed values are not lost.
 * Settings belong to the open conversation; "Use as default" is the only way they reach new chats.
 */
import { RotateCcw, X } from "lucide-react";
import { useEffect, useId, useRef, useState, type RefObject } from "react";
import { BUILT_IN_PRESETS, matchingPreset, PARAM_FIELDS, SYSTEM_PROMPT_HELP, type Preset } from "@/lib/client/param-fields";
import { DEFAULT_GENERATION_PARAMS, generationParamsSchema, PARAM_LIMITS, type GenerationParams } from "@/lib/schemas/params";
import { ParamField } from "./param-field";
import { SpeculativeToggle } from "./speculative-toggle";

const SYSTEM_PROMPT_MAX = 8_000;

const smallButton =
  "inline-flex min-h-10 shrink-0 items-center gap-1 rounded-md border border-zinc-300 px-2.5 text-xs font-medium text-zinc-800 hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800";

interface SettingsPanelProps {
  id: string;
  open: boolean;
  onClose: () => void;
  /** Where focus returns on close (the gear). */
  returnFocusTo: RefObject<HTMLElement | null>;
  params: GenerationParams;
  onChange: (params: GenerationParams) => void;
  /** True while any field holds a value the server would reject. */
  onInvalidChange: (invalid: boolean) => void;
  onUseAsDefault: () => void;
  saveError: string | null;
  /** Presets the user saved, listed after the built-in ones; the save/delete callbacks are absent when not available. */
  savedPresets?: (Preset & { id: string })[];
  onSavePreset?: (name: string) => void;
  onDeletePreset?: (id: string) => void;
}

export function SettingsPanel(props: SettingsPanelProps) {
  const { id, open, onClose, returnFocusTo, params, onChange, onInvalidChange, onUseAsDefault, saveError } = props;
  const savedPresets = props.savedPresets ?? [];
  const [invalid, setInvalid] = useState<ReadonlySet<string>>(new Set());
  // Remounts the fields on reset/preset so a half-typed invalid draft is discarded even if the value is unchanged.
  const [resetCount, setResetCount] = useState(0);
  const [madeDefault, setMadeDefault] = useState(false);
  const [presetName, setPresetName] = useState("");
  const panel = useRef<HTMLDivElement>(null);
  const promptId = useId();
  const presetNameId = useId();

  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLElement>("button, input, textarea")?.focus();
  }, [open]);

  function close() {
    onClose();
    returnFocusTo.current?.focus();
  }

  function setValidity(key: string, valid: boolean) {
    if (valid === !invalid.has(key)) return;
    const next = new Set(invalid);
    if (valid) next.delete(key);
    else next.add(key);
    setInvalid(next);
    onInvalidChange(next.size > 0);
  }

  function apply(next: GenerationParams) {
    setInvalid(new Set());
    onInvalidChange(false);
    setResetCount((n) => n + 1);
    setMadeDefault(false);
    onChange(next);
  }

  const presets: (Preset & { id?: string })[] = [...BUILT_IN_PRESETS, ...savedPresets];
  const selected = matchingPreset(params, presets);

  return (
    <div
      ref={panel}
      id={id}
      role="dialog"
      aria-label="Settings"
      hidden={!open}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault(); // not a Stop: Esc closes the panel first
          e.stopPropagation();
          close();
        }
      }}
      // A popover above the composer; on a phone, a sheet from the bottom edge using most of the screen's height.
      className="absolute inset-x-3 bottom-full z-20 mb-2 overflow-y-auto rounded-xl border border-zinc-200 bg-white p-3 shadow-xl max-sm:fixed max-sm:inset-x-0 max-sm:bottom-0 max-sm:z-50 max-sm:mb-0 max-sm:max-h-[85dvh] max-sm:rounded-b-none max-sm:pb-[max(0.75rem,env(safe-area-inset-bottom))] sm:inset-x-4 sm:max-h-[45dvh] dark:border-zinc-700 dark:bg-zinc-900"
    >
      <div className="mb-2 flex items-center justify-between">
        <h2 className="text-sm font-semibold">
          Settings for this chat
          {invalid.size > 0 && <span className="ml-2 text-xs font-normal text-red-700 dark:text-red-400">needs attention</span>}
        </h2>
        <button type="button" aria-label="Close settings" onClick={close} className="flex size-10 items-center justify-center rounded-lg hover:bg-zinc-100 dark:hover:bg-zinc-800">
          <X className="size-4" aria-hidden />
        </button>
      </div>
      <div role="group" aria-label="Presets" className="mb-3 flex flex-wrap gap-1.5">
        {presets.map((preset) => (
          <span key={preset.id ?? preset.name} className="inline-flex">
            <button
              type="button"
              aria-pressed={selected === preset.name}
              onClick={() => apply({ ...params, ...preset.params })}
              className={`min-h-10 rounded-full border px-3 text-xs font-medium ${
                selected === preset.name
                  ? "border-indigo-600 bg-indigo-600 text-white"
                  : "border-zinc-300 text-zinc-800 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800"
              }`}
            >
              {preset.name}
            </button>
            {props.onDeletePreset && preset.id && (
              <button
                type="button"
                aria-label={`Delete preset ${preset.name}`}
                onClick={() => props.onDeletePreset?.(preset.id!)}
                className="flex size-10 items-center justify-center rounded-full text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"
              >
                <X className="size-3.5" aria-hidden />
              </button>
            )}
          </span>
        ))}
      </div>
      <div className="space-y-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={promptId} className="text-xs font-medium text-zinc-800 dark:text-zinc-200">
            System prompt
          </label>
          <textarea
            id={promptId}
            value={params.systemPrompt}
            maxLength={SYSTEM_PROMPT_MAX}
            rows={2}
            aria-describedby={`${promptId}-help`}
            onChange={(e) => onChange({ ...params, systemPrompt: e.target.value })}
            className="max-h-40 w-full resize-y rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-950 [field-sizing:content]"
          />
          <p id={`${promptId}-help`} className="text-xs text-zinc-600 dark:text-zinc-400">{SYSTEM_PROMPT_HELP}</p>
        </div>
        <div key={resetCount} className="grid gap-3 sm:grid-cols-2">
          {PARAM_FIELDS.map(({ key, label, help }) => {
            const limits = key === "seed" ? { min: 0, max: undefined, step: 1 } : PARAM_LIMITS[key];
            return (
              <ParamField
                key={key}
                name={key}
                label={label}
                help={help}
                value={params[key]}
                schema={generationParamsSchema.shape[key]}
                step={limits.step}
                min={limits.min}
                max={limits.max}
                nullable={key === "seed"}
                onValid={(value) => onChange({ ...params, [key]: value })}
                onValidityChange={(valid) => setValidity(key, valid)}
              />
            );
          })}
        </div>
        <SpeculativeToggle value={params.speculative} onChange={(speculative) => onChange({ ...params, speculative })} />
        <div className="flex flex-wrap items-center gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
          <button
            type="button"
            disabled={invalid.size > 0}
            onClick={() => {
              onUseAsDefault();
              setMadeDefault(true);
            }}
            className={smallButton}
          >
            Use as default
          </button>
          <button type="button" onClick={() => apply(DEFAULT_GENERATION_PARAMS)} className={smallButton}>
            <RotateCcw className="size-3.5" aria-hidden />
            Reset to defaults
          </button>
          <p role="status" className="text-xs text-zinc-600 dark:text-zinc-400">
            {madeDefault ? "New chats will start with these settings." : "Changes apply to this chat only."}
          </p>
        </div>
        {props.onSavePreset && (
          <form
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              const name = presetName.trim();
              if (!name || invalid.size > 0) return;
              props.onSavePreset?.(name);
              setPresetName("");
            }}
          >
            <div className="flex min-w-40 flex-1 flex-col gap-1">
              <label htmlFor={presetNameId} className="text-xs font-medium text-zinc-800 dark:text-zinc-200">
                Save as preset (with the system prompt)
              </label>
              <input
                id={presetNameId}
                value={presetName}
                maxLength={40}
                placeholder="Preset name"
                onChange={(e) => setPresetName(e.target.value)}
                className="h-10 rounded-md border border-zinc-300 bg-white px-2 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-950"
              />
            </div>
            <button type="submit" disabled={!presetName.trim() || invalid.size > 0} className={smallButton}>
              Save preset
            </button>
          </form>
        )}
        {saveError && <p role="alert" className="text-xs text-red-700 dark:text-red-400">Not saved: {saveError}</p>}
      </div>
    </div>
  );
}
