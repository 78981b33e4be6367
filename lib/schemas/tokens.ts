import { z } from "zod";

/** Route params of `GET /api/conversations/{id}/messages/{messageId}/tokens`. */
export const messageTokensParamsSchema = z.object({
  id: z.string().min(1, "id must not be empty").max(64, "id must be at most 64 characters"),
  messageId: z.string().min(1, "messageId must not be empty").max(64, "messageId must be at most 64 characters"),
});

/** One alternative at a position; log-probabilities are null where top-k/top-p left the token out (-∞). */
export interface TokenAlternativeDto {
  id: number;
  /** The token alone, decoded (U+FFFD when it is part of a multi-byte character). */
  text: string;
  /** Under the distribution the sampler drew from (after temperature, top-k, top-p, penalty). */
  logprob: number | null;
  /** Under the model's own softmax. */
  rawLogprob: number | null;
}

export interface TokenRecordDto extends TokenAlternativeDto {
  /** For the chosen token: the text it added to the answer ("" while a character is incomplete). */
  text: string;
  /** The best alternatives, most probable first (the chosen token among them when it is one of them). */
  top: TokenAlternativeDto[];
}

/** The answer's tokens, in order (forced tokens of a branch included). */
export interface MessageTokensDto {
  messageId: string;
  tokens: TokenRecordDto[];
}

/** The token records of an answer in the JSON export: the stored blob (server/chat/token-blob.ts), base64. */
export const exportedTokensSchema = z
  .string()
  .max(2_000_000, "tokens must be at most 2,000,000 characters")
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, "tokens must be base64");
