import { z } from "zod";

export const stopReasonSchema = z.enum(["eos", "length", "abort", "context", "error", "stop"]);
export type StopReason = z.infer<typeof stopReasonSchema>;

/** Counts and timings are non-negative and bounded: imports are user-editable files (1e308 tokens/s, -5 ms). */
const count = (name: string) =>
  z.number().int(`${name} must be an integer`).min(0, `${name} must not be negative`).max(10_000_000, `${name} must be at most 10000000`);
const measure = (name: string) =>
  z.number().min(0, `${name} must not be negative`).max(1e9, `${name} must be at most 1e9`);

/** Measured for every answer; shown in the caption and stored with the message. */
export const generationStatsSchema = z.object({
  promptTokens: count("promptTokens"),
  completionTokens: count("completionTokens"),
  /** Tokens of the prompt served from the KV cache of the previous turn (not recomputed). */
  cachedPromptTokens: count("cachedPromptTokens").default(0),
  ttftMs: measure("ttftMs"),
  prefillTokPerS: measure("prefillTokPerS"),
  decodeTokPerS: measure("decodeTokPerS"),
  totalMs: measure("totalMs"),
  stopReason: stopReasonSchema,
  /** Prompt-lookup draft tokens the model verified, and how many of them it accepted (speculative decoding). */
  draftTokens: count("draftTokens").optional(),
  acceptedDraftTokens: count("acceptedDraftTokens").optional(),
  /** Several answers at once: the most answers (this one included) that shared a forward pass with it. */
  answersSharing: z.number().int().min(1, "answersSharing must be at least 1").max(1000, "answersSharing must be at most 1000").optional(),
  /** A continued answer: how many runs wrote it (2 = written, then continued once); the figures cover them all. */
  continuedRuns: z.number().int().min(2, "continuedRuns must be at least 2").max(10_000, "continuedRuns must be at most 10000").optional(),
});
export type GenerationStats = z.infer<typeof generationStatsSchema>;
