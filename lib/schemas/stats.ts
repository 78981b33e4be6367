import { z } from "zod";

export const stopReasonSchema = z.enum(["eos", "length", "abort", "context", "error", "stop"]);
export type StopReason = z.infer<typeof stopReasonSchema>;

/** Measured for every answer; shown in the caption and stored with the message. */
export const generationStatsSchema = z.object({
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  /** Tokens of the prompt served from the KV cache of the previous turn (not recomputed). */
  cachedPromptTokens: z.number().int().default(0),
  ttftMs: z.number(),
  prefillTokPerS: z.number(),
  decodeTokPerS: z.number(),
  totalMs: z.number(),
  stopReason: stopReasonSchema,
  /** Prompt-lookup draft tokens the model verified, and how many of them it accepted (speculative decoding). */
  draftTokens: z.number().int().optional(),
  acceptedDraftTokens: z.number().int().optional(),
});
export type GenerationStats = z.infer<typeof generationStatsSchema>;
