import { z } from "zod";
import { generationParamsSchema } from "./params";
import { generationStatsSchema } from "./stats";

export const messageRoleSchema = z.enum(["system", "user", "assistant"]);
export const messageStatusSchema = z.enum(["complete", "stopped", "error"]);
export type MessageRole = z.infer<typeof messageRoleSchema>;
export type MessageStatus = z.infer<typeof messageStatusSchema>;

export interface MessageDto {
  id: string;
  conversationId: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  /** Only for assistant messages that were generated. */
  stats: z.infer<typeof generationStatsSchema> | null;
  /** The settings the answer was generated with. */
  params: z.infer<typeof generationParamsSchema> | null;
  error: string | null;
  createdAt: string; // ISO 8601
}

export interface ConversationSummaryDto {
  id: string;
  title: string;
  createdAt: string;
  /** The last message's time: renaming, settings and pinning do not change it. */
  updatedAt: string;
  /** Pinned conversations are listed first, in their own sidebar group. */
  pinned: boolean;
  messageCount: number;
  /** True while an answer of this conversation is being generated or waits for the model. */
  answering: boolean;
  /** Present for search results: the matching text with the match wrapped in «…». */
  snippet?: string;
}

export interface ConversationDto extends ConversationSummaryDto {
  params: z.infer<typeof generationParamsSchema>;
  messages: MessageDto[];
}

/** `POST /api/conversations/{id}/stop` when an answer was running: the answer as saved. */
export interface StopAnswerDto {
  messageId: string;
  /** "stopped" (or "complete"/"error" when it ended on its own first); null when the answer was rolled back (stopped while queued). */
  status: MessageStatus | null;
}

export const MAX_TITLE_CHARS = 200;

export const listConversationsQuerySchema = z.object({
  q: z.string().trim().max(200, "q must be at most 200 characters").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const createConversationSchema = z.object({
  title: z.string().trim().min(1, "title must not be empty").max(MAX_TITLE_CHARS).optional(),
  params: generationParamsSchema.partial().optional(),
});

export const updateConversationSchema = z
  .object({
    title: z.string().trim().min(1, "title must not be empty").max(MAX_TITLE_CHARS, `title must be at most ${MAX_TITLE_CHARS} characters`).optional(),
    params: generationParamsSchema.partial().optional(),
    pinned: z.boolean({ error: "pinned must be true or false" }).optional(),
  })
  .refine((v) => v.title !== undefined || v.params !== undefined || v.pinned !== undefined, {
    message: "nothing to update: give title, params or pinned",
  });

export const exportFormatSchema = z.object({ format: z.enum(["md", "json"], { error: "format must be md or json" }).default("json") });

/** A conversation as exported by `GET /api/conversations/[id]/export?format=json` and accepted by import. */
export const conversationExportSchema = z.object({
  format: z.literal("bitnet-chat/conversation@1"),
  title: z.string().min(1).max(MAX_TITLE_CHARS),
  createdAt: z.string(),
  updatedAt: z.string(),
  params: generationParamsSchema.partial(),
  messages: z
    .array(
      z.object({
        role: messageRoleSchema,
        content: z.string().max(200_000),
        status: messageStatusSchema.default("complete"),
        stats: generationStatsSchema.nullable().default(null),
        createdAt: z.string(),
      }),
    )
    .max(10_000),
});
export type ConversationExport = z.infer<typeof conversationExportSchema>;
