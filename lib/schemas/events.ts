import { z } from "zod";
import { generationStatsSchema } from "./stats";
import { messageStatusSchema } from "./conversations";
import { generationParamsSchema } from "./params";

/** In a compare stream: which of the two answers (0 = left, 1 = right) an event belongs to; absent for a single answer. */
const answerIndex = { answer: z.number().int().min(0).max(1).optional() };

/** One side of a compare pair: its message, settings, and (when re-attaching) how far it got. */
export const compareSideSchema = z.object({
  messageId: z.string(),
  params: generationParamsSchema,
  text: z.string(),
  phase: z.enum(["queued", "prefill", "generating"]),
  queuePosition: z.number().int().nullable(),
  /** This side has finished (saved or rolled back); its `done` / `error` event was sent earlier. */
  ended: z.boolean(),
  /** How it was saved once ended; null while it runs, or when it never started (taken back). */
  status: messageStatusSchema.nullable(),
});
export type CompareSide = z.infer<typeof compareSideSchema>;

/** The answer so far, sent first by `GET /api/conversations/{id}/stream` (re-attaching to a running answer). */
export const answerSnapshotSchema = z.object({
  conversationId: z.string(),
  userMessageId: z.string(),
  /** The answer's message id (the placeholder row that is saved as the answer grows). */
  messageId: z.string(),
  title: z.string(),
  text: z.string(),
  phase: z.enum(["queued", "prefill", "generating"]),
  /** 1-based place in line while queued, otherwise null. */
  queuePosition: z.number().int().nullable(),
  /** Measured so far: tokens, time since the request was accepted, time to the first token (null before it). */
  stats: z.object({
    promptTokens: z.number().int(),
    completionTokens: z.number().int(),
    elapsedMs: z.number(),
    ttftMs: z.number().nullable(),
  }),
});
export type AnswerSnapshot = z.infer<typeof answerSnapshotSchema>;

/**
 * A replay's `done` event: does the new answer equal the replayed one (`of`), and if not, where do
 * they part. Compared token id by token id when both answers have token records, else by text.
 */
export const replayVerdictSchema = z.object({
  of: z.string(),
  identical: z.boolean(),
  compared: z.enum(["tokens", "text"]),
  /** 0-based index of the first token that differs; null when identical or compared by text. */
  divergedAtToken: z.number().int().nullable(),
  /** 0-based index (in Unicode code points) of the first character that differs; null when the texts are equal. */
  divergedAtChar: z.number().int().nullable(),
});
export type ReplayVerdict = z.infer<typeof replayVerdictSchema>;

/**
 * The typed Server-Sent Events of `POST /api/chat` and `GET /api/conversations/{id}/stream`. Each
 * frame is `event: <name>\ndata: <json>\n\n`. A `: ping` comment is sent every few seconds as a heartbeat.
 */
export const chatEventSchemas = {
  /** Only from `/stream`, always first. */
  snapshot: answerSnapshotSchema,
  /**
   * First event of a compare pair (`mode: "compare"`, and `/stream` while a pair runs): the question
   * and both answers (already stored as its two versions). Every later event carries `answer`.
   */
  compare: z.object({
    conversationId: z.string(),
    userMessageId: z.string(),
    title: z.string(),
    answers: z.array(compareSideSchema).length(2),
  }),
  /**
   * `conversationId` lets a client stop a queued answer of a conversation it has not seen created yet, and
   * give it its address (`/c/<id>`) and sidebar row at once; `title` is the conversation's.
   */
  queued: z.object({ position: z.number().int(), conversationId: z.string().optional(), title: z.string().optional(), ...answerIndex }),
  start: z.object({
    ...answerIndex,
    conversationId: z.string(),
    userMessageId: z.string(),
    assistantMessageId: z.string(),
    promptTokens: z.number().int(),
    droppedTurns: z.number().int(),
    title: z.string(),
  }),
  prefill: z.object({ done: z.number().int(), total: z.number().int(), ...answerIndex }),
  token: z.object({ text: z.string(), id: z.number().int(), ...answerIndex }),
  done: z.object({
    ...answerIndex,
    messageId: z.string(),
    status: messageStatusSchema,
    stats: generationStatsSchema,
    error: z.string().optional(),
    /** Only for mode "replay". */
    replay: replayVerdictSchema.optional(),
  }),
  error: z.object({ code: z.string(), message: z.string(), conversationId: z.string().optional(), ...answerIndex }),
} as const;

export type ChatEventName = keyof typeof chatEventSchemas;
export type ChatEventData<N extends ChatEventName> = z.infer<(typeof chatEventSchemas)[N]>;
export type ChatEvent = { [N in ChatEventName]: { event: N; data: ChatEventData<N> } }[ChatEventName];
