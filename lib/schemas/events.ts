import { z } from "zod";
import { generationStatsSchema } from "./stats";
import { messageStatusSchema } from "./conversations";

/**
 * The typed Server-Sent Events of `POST /api/chat`. Each frame is `event: <name>\ndata: <json>\n\n`.
 * A `: ping` comment is sent every few seconds as a heartbeat.
 */
export const chatEventSchemas = {
  queued: z.object({ position: z.number().int() }),
  start: z.object({
    conversationId: z.string(),
    userMessageId: z.string(),
    assistantMessageId: z.string(),
    promptTokens: z.number().int(),
    droppedTurns: z.number().int(),
    title: z.string(),
  }),
  prefill: z.object({ done: z.number().int(), total: z.number().int() }),
  token: z.object({ text: z.string(), id: z.number().int() }),
  done: z.object({
    messageId: z.string(),
    status: messageStatusSchema,
    stats: generationStatsSchema,
    error: z.string().optional(),
  }),
  error: z.object({ code: z.string(), message: z.string(), conversationId: z.string().optional() }),
} as const;

export type ChatEventName = keyof typeof chatEventSchemas;
export type ChatEventData<N extends ChatEventName> = z.infer<(typeof chatEventSchemas)[N]>;
export type ChatEvent = { [N in ChatEventName]: { event: N; data: ChatEventData<N> } }[ChatEventName];
