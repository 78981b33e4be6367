/** How the token view shows a token and its probability (pure: shared by the chips and the alternatives list). */

/** A token's text made visible: spaces, tabs and newlines as marks; an incomplete character as "…". */
export function visibleToken(text: string): string {
  if (text === "") return "…";
  return text.replace(/ /g, "·").replace(/\t/g, "→").replace(/\r?\n/g, "↵");
}

/** Probability from a log-probability (null: left out by top-k / top-p). */
export function probabilityOf(logprob: number | null): number {
  return logprob === null ? 0 : Math.exp(logprob);
}

/** "42.1 %", "< 0.1 %", "0 %". */
export function formatProbability(p: number): string {
  if (p === 0) return "0 %";
  if (p < 0.001) return "< 0.1 %";
  return `${(p * 100).toFixed(p >= 0.995 ? 0 : 1)} %`;
}

/**
 * Shade of a chip: the less likely the token was, the stronger the tint (what stands out is where the model
 * hesitated). Five steps, each a fixed Tailwind pair chosen for ≥ 4.5:1 text contrast in light and dark.
 */
export const SHADES = [
  "bg-transparent",
  "bg-indigo-50 dark:bg-indigo-950",
  "bg-indigo-100 dark:bg-indigo-900",
  "bg-amber-200 dark:bg-amber-800",
  "bg-rose-300 dark:bg-rose-800",
] as const;

export function shadeOf(p: number): (typeof SHADES)[number] {
  if (p >= 0.9) return SHADES[0];
  if (p >= 0.6) return SHADES[1];
  if (p >= 0.3) return SHADES[2];
  if (p >= 0.1) return SHADES[3];
  return SHADES[4];
}
