/**
 * Starts an answer that belongs to the server, not to the request that asked for it: the turn runs
 * to its end (or to `stop`) and is saved even when every client has gone. The caller gets a listener
 * on it; closing that listener only detaches.
 */
import type { ParsedChatRequest } from "@/lib/schemas/chat";
import type { ChatEvent } from "@/lib/schemas/events";
import type { Store } from "@/server/db/store";
import type { Engine } from "@/server/engine/types";
import type { RunningAnswers } from "./running-answers";
import type { ProgressPolicy } from "./progress-saver";
import { RunningAnswer } from "./running-answer";
import { sendMessage } from "./send-message";
import { conversationNotFound } from "./chat-error";

export interface StartAnswerArgs {
  db: Store;
  engine: Engine;
  registry: RunningAnswers;
  request: ParsedChatRequest;
  /** Detaches this caller's listener (the client went away); the answer goes on. */
  signal?: AbortSignal;
  progress?: ProgressPolicy;
}

export interface StartedAnswer {
  conversationId: string;
  answer: RunningAnswer;
  /** This caller's events, from the first. */
  events: AsyncGenerator<ChatEvent>;
}

/** Throws 409 (`answering`) when the conversation already has an answer running, queued or being prepared. */
export async function startAnswer(args: StartAnswerArgs): Promise<StartedAnswer> {
  const { db, engine, registry, request } = args;
  // Held while the turn is written (awaited), so a second request for the conversation gets its 409
  // instead of writing a second turn; released right before `track`, with no await in between.
  const release = await reserveConversation(db, registry, request.conversationId);
  const abort = new AbortController();
  let sent: Awaited<ReturnType<typeof sendMessage>>;
  try {
    sent = await sendMessage({ db, engine, request, signal: abort.signal, progress: args.progress });
  } finally {
    release();
  }
  const { turn, events, meter } = sent;
  const answer = new RunningAnswer(turn, abort, meter);
  registry.track(answer);
  const listener = answer.listen({ snapshot: false, signal: args.signal });
  void drive(events, answer);
  return { conversationId: turn.conversationId, answer, events: listener };
}

/**
 * Reserves an existing conversation for a new answer (nothing to reserve for a new one). Its existence is
 * checked first: with accounts, another account's conversation must give the 404 of a missing one, not
 * the 409 of one that is answering.
 */
export async function reserveConversation(db: Store, registry: RunningAnswers, conversationId: string | undefined): Promise<() => void> {
  if (conversationId === undefined) return () => undefined;
  if (!(await db.conversations.getConversation({ id: conversationId }))) throw conversationNotFound("conversationId");
  return registry.reserve(conversationId);
}

/** Feeds an answer's events to whoever holds it for its listeners, and tells it when the answer has ended. */
export async function drive(events: AsyncGenerator<ChatEvent>, answer: { publish(event: ChatEvent): void; finish(): void }): Promise<void> {
  try {
    for await (const event of events) answer.publish(event);
  } catch (error) {
    console.error("[chat] the answer failed:", error);
    answer.publish({ event: "error", data: { code: "internal", message: "The server failed while answering. Details are in the server log." } });
  } finally {
    answer.finish();
  }
}
