import { z } from "zod";
import type { WeightsDto } from "./model-status";

/** Query of `GET /api/efficiency`. */
export const efficiencyQuerySchema = z.object({
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int("limit must be an integer")
    .min(1, "limit must be between 1 and 1000")
    .max(1000, "limit must be between 1 and 1000")
    .default(200),
});

/** One finished answer, as the efficiency chart plots it. */
export interface AnswerPointDto {
  messageId: string;
  createdAt: string;
  /** Prompt + generated tokens at the end of the answer. */
  contextTokens: number;
  completionTokens: number;
  decodeTokPerS: number;
}

/** Body of `GET /api/efficiency`. */
export interface EfficiencyDto {
  modelId: string;
  isDemo: boolean;
  /** Null until a local model is loaded (or with workers only). */
  weights: WeightsDto | null;
  /** This machine's copy bandwidth (read + written), measured once per server process. */
  memoryBandwidth: { bytesPerSecond: number; threads: number; measuredAt: string } | null;
  /** Recent answers, newest first. */
  answers: AnswerPointDto[];
}
