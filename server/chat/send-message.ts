/**
 * server/chat/ — the chat use cases (send/regenerate/edit, conversations, import/export): database
 * writes around engine jobs. Errors are ChatErrors; server/http maps them to HTTP.
 *
 * The chat use case behind `POST /api/chat`: send, regenerate or edit-and-resend, streamed as the
 * typed events of lib/schemas/events.ts.
 *
 * `sendMessage` validates and writes synchronously (so a 404 / 409 reaches the route before any
 * stream exists), then returns the event generator. The generator always ends by saving the answer
 * — complete, stopped (abort, including a client that went away) or error — before its `done`
 * event, or, when the engine refused the job before starting (busy, context overflow), by rolling
 * the turn back and yielding one `error` event (nothing of the request stays stored; the UI restores
 * the previous messages and puts the text back in the composer).
 */
import type { ParsedChatRequest } from "@/lib/schemas/chat";
import type { MessageStatus } from "@/lib/schemas/conversations";
import type { ChatEvent } from "@/lib/schemas/events";
import type { GenerationStats } from "@/lib/schemas/stats";
import type { Db } from "@/server/db/types";
import type { Engine } from "@/server/engine/types";
import { AnswerMeter } from "./answer-meter";
import { isEngineError } from "@/server/engine/types";
import { toSamplingParams } from "./history";
import { toStatsDto } from "./to-dto";
import { prepareTurn, saveAnswer, undoTurn, type PreparedTurn } from "./turn-writes";

export interface SendMessageArgs {
  db: Db;
  engine: Engine;
  request: ParsedChatRequest;
  /** Aborts generation; the partial answer is saved as "stopped". */
  signal: AbortSignal;
}

export interface SendMessageResult {
  conversationId: string;
  events: AsyncGenerator<ChatEvent>;
}

export function sendMessage(args: SendMessageArgs): SendMessageResult {
  const turn = prepareTurn(args.db, { request: args.request, now: new Date() });
  return { conversationId: turn.conversationId, events: runTurn(args, turn) };
}

function statusFor(stats: GenerationStats, error: string | undefined): MessageStatus {
  if (stats.stopReason === "abort") return "stopped";
  if (stats.stopReason === "error" || error) return "error";
  return "complete";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function* runTurn({ db, engine, signal }: SendMessageArgs, turn: PreparedTurn): AsyncGenerator<ChatEvent> {
  const meter = new AnswerMeter();
  let final: { stats: GenerationStats; error?: string } | null = null;
  let settled = false;
  const save = (stats: GenerationStats, error: string | undefined): ChatEvent => {
    settled = true;
    const status = statusFor(stats, error);
    saveAnswer(db, { turn, answer: { content: meter.text, status, stats, error: error ?? null }, now: new Date() });
    return { event: "done", data: { messageId: turn.assistantMessageId, status, stats, ...(error ? { error } : {}) } };
  };
  try {
    try {
      const request = { messages: turn.engineMessages, params: toSamplingParams(turn.params) };
      for await (const event of engine.generate(request, signal)) {
        if (event.type === "queued") yield { event: "queued", data: { position: event.position } };
        else if (event.type === "start") {
          meter.onStart(event.promptTokens);
          yield {
            event: "start",
            data: {
              conversationId: turn.conversationId,
              userMessageId: turn.userMessageId,
              assistantMessageId: turn.assistantMessageId,
              promptTokens: event.promptTokens,
              droppedTurns: event.droppedTurns,
              title: turn.title,
            },
          };
        } else if (event.type === "prefill") yield { event: "prefill", data: { done: event.done, total: event.total } };
        else if (event.type === "token") {
          meter.onToken(event.text);
          yield { event: "token", data: { text: event.text, id: event.id } };
        } else final = { stats: toStatsDto(event.stats), error: event.error };
      }
    } catch (error) {
      if (!meter.started && !signal.aborted) {
        // Refused before starting: nothing of this request stays stored.
        undoTurn(db, turn);
        settled = true;
        const code = isEngineError(error) ? error.code : "internal";
        const message = isEngineError(error) ? error.message : "The model failed before answering.";
        if (!isEngineError(error)) console.error("[chat] generation failed before start:", error);
        yield { event: "error", data: { code, message, ...(turn.undo.createdConversation ? {} : { conversationId: turn.conversationId }) } };
        return;
      }
      final = signal.aborted ? { stats: meter.stats("abort") } : { stats: meter.stats("error"), error: messageOf(error) };
    }
    // The engine always ends with `done`; a missing one means the job was cut short.
    final ??= signal.aborted ? { stats: meter.stats("abort") } : { stats: meter.stats("error"), error: "The answer ended unexpectedly." };
    yield save(final.stats, final.error);
  } finally {
    // The consumer stopped iterating (return() mid-stream): leaving the loop aborted the job; keep what was said.
    if (!settled) save(final?.stats ?? meter.stats("abort"), final?.error);
  }
}
