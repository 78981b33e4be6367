/**
 * What the settings panel shows for each generation setting: its label, a one-line help and the
 * built-in presets. Labels also replace the API names in validation messages ("Temperature must be
 * between 0 and 2", not "temperature must …"), since the schema's messages are written for API users.
 */
import { DEFAULT_GENERATION_PARAMS, type GenerationParams } from "@/lib/schemas/params";

export type NumericParam = "temperature" | "topP" | "topK" | "maxNewTokens" | "repetitionPenalty" | "seed";

export const PARAM_FIELDS: { key: NumericParam; label: string; help: string }[] = [
  { key: "temperature", label: "Temperature", help: "Randomness: 0 always picks the likeliest word, higher is more varied." },
  { key: "topP", label: "Top-p", help: "Sample only from the likeliest words that together make up this share." },
  { key: "topK", label: "Top-k", help: "Sample only from this many likeliest words." },
  { key: "maxNewTokens", label: "Max new tokens", help: "The longest answer, in tokens (about ¾ of a word each)." },
  { key: "repetitionPenalty", label: "Repetition penalty", help: "Above 1 discourages repeating the same words." },
  { key: "seed", label: "Seed", help: "The same seed and settings give the same answer; empty means random." },
];

export const SYSTEM_PROMPT_HELP = "Instructions the model reads before every message of this chat.";

/** "temperature must be between 0 and 2" → "Temperature must be between 0 and 2". */
export function withLabel(message: string, key: string, label: string): string {
  return message.startsWith(`${key} `) ? `${label}${message.slice(key.length)}` : message;
}

export interface Preset {
  name: string;
  params: Partial<GenerationParams>;
}

/** Sampling presets; they leave the system prompt alone (a saved preset may carry one). */
export const BUILT_IN_PRESETS: Preset[] = [
  { name: "Precise", params: { temperature: 0.2, topP: 0.8, topK: 20, repetitionPenalty: 1.1 } },
  {
    name: "Balanced",
    params: {
      temperature: DEFAULT_GENERATION_PARAMS.temperature,
      topP: DEFAULT_GENERATION_PARAMS.topP,
      topK: DEFAULT_GENERATION_PARAMS.topK,
      repetitionPenalty: DEFAULT_GENERATION_PARAMS.repetitionPenalty,
    },
  },
  { name: "Creative", params: { temperature: 1.0, topP: 0.95, topK: 80, repetitionPenalty: 1.05 } },
];

/** The preset whose values the params currently match, if any (shown as selected). */
export function matchingPreset(params: GenerationParams, presets: Preset[]): string | null {
  const hit = presets.find((p) => Object.entries(p.params).every(([k, v]) => params[k as keyof GenerationParams] === v));
  return hit?.name ?? null;
}
