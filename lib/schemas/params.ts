import { z } from "zod";
import { SPECULATIVE_BY_DEFAULT } from "@/lib/speculative-default";

/** Sampling and prompt settings, stored per conversation and sent with each chat request. */
export const generationParamsSchema = z.object({
  systemPrompt: z.string().max(8_000, "systemPrompt must be at most 8000 characters"),
  temperature: z.number().min(0, "temperature must be between 0 and 2").max(2, "temperature must be between 0 and 2"),
  topP: z.number().min(0, "topP must be between 0 and 1").max(1, "topP must be between 0 and 1"),
  topK: z.number().int("topK must be an integer").min(1, "topK must be between 1 and 100").max(100, "topK must be between 1 and 100"),
  maxNewTokens: z
    .number()
    .int("maxNewTokens must be an integer")
    .min(1, "maxNewTokens must be between 1 and 2048")
    .max(2048, "maxNewTokens must be between 1 and 2048"),
  repetitionPenalty: z
    .number()
    .min(1, "repetitionPenalty must be between 1 and 2")
    .max(2, "repetitionPenalty must be between 1 and 2"),
  /** null = a fresh random seed per answer. */
  seed: z.number().int("seed must be an integer").min(0, "seed must be between 0 and 4294967295").max(4_294_967_295, "seed must be between 0 and 4294967295").nullable(),
  /** Prompt-lookup speculative decoding; absent = SPECULATIVE_BY_DEFAULT (lib/speculative-default.ts). Same tokens either way, only the speed differs. */
  speculative: z.boolean({ error: "speculative must be true or false" }).optional(),
});

export type GenerationParams = z.infer<typeof generationParamsSchema>;

export const DEFAULT_GENERATION_PARAMS: GenerationParams = {
  systemPrompt: "You are a helpful assistant.",
  temperature: 0.7,
  topP: 0.9,
  topK: 40,
  maxNewTokens: 512,
  repetitionPenalty: 1.1,
  seed: null,
  // Stored with every new conversation like the other settings, so "Reset to defaults" resets it too.
  speculative: SPECULATIVE_BY_DEFAULT,
};

export const PARAM_LIMITS = {
  temperature: { min: 0, max: 2, step: 0.05 },
  topP: { min: 0, max: 1, step: 0.01 },
  topK: { min: 1, max: 100, step: 1 },
  maxNewTokens: { min: 1, max: 2048, step: 1 },
  repetitionPenalty: { min: 1, max: 2, step: 0.01 },
} as const;
