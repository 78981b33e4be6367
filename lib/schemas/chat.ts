import { z } from "zod";
import { generationParamsSchema } from "./params";

export const MAX_MESSAGE_CHARS = 32_000;

/** Body of `POST /api/chat` — a public contract (UI, tests and other clients rely on it). */
export const chatRequestSchema = z.object({
  conversationId: z.string().min(1, "conversationId must not be empty").max(64).optional(),
  content: z
    .string({ error: "content must be a string" })
    .refine((s) => s.trim().length > 0, "content must not be empty")
    .refine((s) => s.length <= MAX_MESSAGE_CHARS, `content must be at most ${MAX_MESSAGE_CHARS} characters`),
  params: generationParamsSchema.partial().optional(),
  /**
   * What to do with the conversation's last turn: `send` appends a new user message (default),
   * `regenerate` replaces the last answer, `edit` replaces the last user message and its answer.
   */
  mode: z.enum(["send", "regenerate", "edit"]).default("send"),
});

export type ChatRequest = z.input<typeof chatRequestSchema>;
export type ParsedChatRequest = z.output<typeof chatRequestSchema>;
