/**
 * server/chat/ — the chat use cases (send/regenerate/edit/continue, conversations, import/export):
 * database writes around engine jobs. Errors are ChatErrors; server/http maps them to HTTP.
 *
 * The chat use case behind `POST /api/chat`: send, regenerate, edit-and-resend, continue or replay (see
 * ./turn-plan.ts), streamed as the typed events of lib/schemas/events.ts. (start-answer.ts runs it
 * detached from the HTTP request.)
 *
 * `sendMessage` validates and writes the turn before it resolves (so a 404 / 409 reaches the route
 * before any stream exists), then returns the event generator. While tokens stream, the text so far is saved
 * every few tokens (progress-saver.ts). The generator always ends by saving the answer — complete,
 * stopped (abort) or error — before its `done` event; a save that fails (or finds the conversation
 * deleted) ends with an `error` event instead, never a `done` for a message that is not stored.
 * A job that never started (refused: busy, context overflow; or stopped while still queued) rolls
 * the turn back and yields one `error` event: nothing of the request stays stored; the UI restores
 * the previous messages and puts the text back in the composer.
 */
import type { ParsedChatRequest } from "@/lib/schemas/chat";
import type { MessageStatus } from "@/lib/schemas/conversations";
import type { ChatEvent } from "@/lib/schemas/events";
import type { GenerationStats } from "@/lib/schemas/stats";
import type { Store } from "@/server/db/store";
import type { Engine } from "@/server/engine/types";
import { replayVerdict } from "@/lib/replay-verdict";
import { AnswerMeter } from "./answer-meter";
import { isEngineError } from "@/server/engine/types";
import { toSamplingParams } from "./history";
import { ProgressSaver, type ProgressPolicy } from "./progress-saver";
import { toStatsDto } from "./to-dto";
import { MAX_RECORDED_ALTERNATIVES, type StoredToken } from "./token-blob";
import { earlierTokens, prepareTurn, saveAnswer, saveProgress, undoTurn, type PreparedTurn } from "./turn-writes";

/** Alternatives recorded per token for the token view. */

export interface SendMessageArgs {
  db: Store;
  engine: Engine;
  request: ParsedChatRequest;
  /** Aborts generation; the partial answer is saved as "stopped" (rolled back if it never started). */
  signal: AbortSignal;
  /** How often the partial answer is written while it streams (default: every 32 tokens or 1 s). */
  progress?: ProgressPolicy;
}

export interface SendMessageResult {
  conversationId: string;
  turn: PreparedTurn;
  /** The answer's text and timings as they grow (the RunningAnswer's snapshot reads them). */
  meter: AnswerMeter;
  events: AsyncGenerator<ChatEvent>;
}

export async function sendMessage(args: SendMessageArgs): Promise<SendMessageResult> {
  const turn = await prepareTurn(args.db, { request: args.request, now: new Date(), vocabSize: args.engine.vocabSize });
  const meter = new AnswerMeter();
  return { conversationId: turn.conversationId, turn, meter, events: runAnswer(args, turn, () => undoTurn(args.db, turn), meter) };
}

function statusFor(stats: GenerationStats, error: string | undefined): MessageStatus {
  if (stats.stopReason === "abort") return "stopped";
  if (stats.stopReason === "error" || error) return "error";
  return "complete";
}

/** How a replay's text and tokens compare with the answer it re-ran. */
function replayOutcome(replayed: NonNullable<PreparedTurn["replayOf"]>, meter: AnswerMeter, tokens: readonly StoredToken[]) {
  // Token ids only when every generated token was recorded (an answer without records compares by text).
  const tokenIds = tokens.length === meter.tokens ? tokens.map((t) => t.id) : null;
  return replayVerdict(replayed.messageId, { text: replayed.content, tokenIds: replayed.tokenIds }, { text: meter.text, tokenIds });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Generates and saves one prepared answer. `undo` takes the turn back when the job never started
 * (a single answer rolls back its whole turn; one side of a compare pair only itself).
 */
export async function* runAnswer(
  { db, engine, signal, progress }: Omit<SendMessageArgs, "request">,
  turn: PreparedTurn,
  undo: () => Promise<void>,
  meter: AnswerMeter = new AnswerMeter(),
): AsyncGenerator<ChatEvent> {
  // The token view's records: a branch's forced start first (its tokens come as forced events, unrecorded).
  const tokens: StoredToken[] = [...(turn.branch?.tokens ?? [])];
  // A continued answer's records so far: read once, by the first save, before any save replaces them with the whole answer's.
  let earlier: Promise<StoredToken[]> | null = null;
  const answerTokens = async (count: number) => [...(await (earlier ??= earlierTokens(db, turn))), ...tokens.slice(0, count)];
  const saver = new ProgressSaver(async () => {
    // Text and records as of the same token: more may stream in while the earlier records are read.
    const [content, count] = [meter.text, tokens.length];
    return saveProgress(db, { turn, content, tokens: await answerTokens(count) });
  }, progress);
  const otherwiseKnown = turn.undo.createdConversation ? {} : { conversationId: turn.conversationId };
  let final: { stats: GenerationStats; error?: string } | null = null;
  let settled = false;
  const save = async (stats: GenerationStats, error: string | undefined): Promise<ChatEvent> => {
    settled = true;
    const status = statusFor(stats, error);
    const replay = turn.replayOf ? replayOutcome(turn.replayOf, meter, tokens) : null;
    let saved: boolean;
    try {
      await saver.idle();
      const answer = { content: meter.text, status, stats, error: error ?? null, tokens: await answerTokens(tokens.length), replay };
      saved = await saveAnswer(db, { turn, answer, now: new Date() });
    } catch (failure) {
      console.error("[chat] saving the answer failed:", failure);
      return { event: "error", data: { code: "save_failed", message: `The answer could not be saved: ${messageOf(failure)}`, conversationId: turn.conversationId } };
    }
    if (!saved) {
      return { event: "error", data: { code: "not_saved", message: "The conversation was deleted while answering; the answer was not saved." } };
    }
    return { event: "done", data: { messageId: turn.assistantMessageId, status, stats, ...(error ? { error } : {}), ...(replay ? { replay } : {}) } };
  };
  const rollBack = async (error: unknown): Promise<ChatEvent> => {
    settled = true;
    await saver.idle();
    await undo();
    if (signal.aborted) {
      return { event: "error", data: { code: "cancelled", message: "Stopped before the model started; nothing was kept.", ...otherwiseKnown } };
    }
    const code = isEngineError(error) ? error.code : "internal";
    const message = isEngineError(error) ? error.message : "The model failed before answering.";
    if (!isEngineError(error)) console.error("[chat] generation failed before start:", error);
    return { event: "error", data: { code, message, ...otherwiseKnown } };
  };
  try {
    try {
      // The KV cache is shared only within this conversation (see GenerateRequest.cacheKey).
      const request = {
        messages: turn.engineMessages,
        params: toSamplingParams(turn.params),
        continueFinalMessage: turn.continued !== null,
        cacheKey: `conversation:${turn.conversationId}`,
        logprobs: MAX_RECORDED_ALTERNATIVES,
        ...(turn.branch ? { answerPrefixIds: turn.branch.ids } : {}),
      };
      for await (const event of engine.generate(request, signal)) {
        if (event.type === "queued") yield { event: "queued", data: { position: event.position, conversationId: turn.conversationId, title: turn.title } };
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
          if (event.record) tokens.push({ ...event.record, text: event.record.piece });
          meter.onToken(event.text);
          saver.onToken();
          yield { event: "token", data: { text: event.text, id: event.id } };
        } else final = { stats: toStatsDto(event.stats), error: event.error };
      }
    } catch (error) {
      if (!meter.started) {
        yield await rollBack(error);
        return;
      }
      final = signal.aborted ? { stats: meter.stats("abort") } : { stats: meter.stats("error"), error: messageOf(error) };
    }
    // The engine always ends with `done`; a missing one means the job was cut short.
    if (!final && !meter.started) {
      yield await rollBack(null);
      return;
    }
    final ??= signal.aborted ? { stats: meter.stats("abort") } : { stats: meter.stats("error"), error: "The answer ended unexpectedly." };
    yield await save(final.stats, final.error);
  } finally {
    // The consumer stopped iterating (return() mid-stream): leaving the loop aborted the job; keep what was said.
    if (!settled) {
      if (meter.started) await save(final?.stats ?? meter.stats("abort"), final?.error);
      else await rollBack(null);
    }
  }
}
