/**
 * The two settings of a compare pair: presets for the comparisons people make most (greedy against
 * sampled, a precise against a creative preset, two system prompts) and each column's caption, which
 * names only what differs between the two sides.
 */
import type { GenerationParams } from "@/lib/schemas/params";
import { BUILT_IN_PRESETS } from "./param-fields";

export type Variant = Partial<Pick<GenerationParams, "temperature" | "topP" | "topK" | "repetitionPenalty" | "systemPrompt">>;

export interface ComparePreset {
  name: string;
  variants: (current: GenerationParams) => [Variant, Variant];
}

const sampling = (name: string): Variant => BUILT_IN_PRESETS.find((p) => p.name === name)?.params ?? {};

export const COMPARE_PRESETS: ComparePreset[] = [
  { name: "Temperature 0 vs 0.8", variants: () => [{ temperature: 0 }, { temperature: 0.8 }] },
  { name: "Precise vs Creative", variants: () => [sampling("Precise"), sampling("Creative")] },
  { name: "Two system prompts", variants: (current) => [{ systemPrompt: current.systemPrompt }, { systemPrompt: "Answer in one short sentence." }] },
];

const LABELS: { key: keyof Variant; label: string }[] = [
  { key: "temperature", label: "temperature" },
  { key: "topP", label: "top-p" },
  { key: "topK", label: "top-k" },
  { key: "repetitionPenalty", label: "repetition penalty" },
  { key: "systemPrompt", label: "system prompt" },
];

function shown(value: GenerationParams[keyof Variant]): string {
  if (typeof value === "number") return String(value);
  const text = String(value).trim();
  if (!text) return "none";
  return `“${text.length > 40 ? `${text.slice(0, 39)}…` : text}”`;
}

/** "temperature 0 · system prompt “Be terse.”": the settings of `side` that differ from `other`'s; "same settings" when none do. */
export function describeVariant(side: GenerationParams, other: GenerationParams): string {
  const parts = LABELS.filter(({ key }) => side[key] !== other[key]).map(({ key, label }) => `${label} ${shown(side[key])}`);
  return parts.length > 0 ? parts.join(" · ") : "same settings";
}
