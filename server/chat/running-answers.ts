/**
 * What the chat use cases need of "the answers running now": one per conversation at most (409 for a
 * second), Stop and re-attach from any page, and which conversations answer. Two implementations:
 * AnswerRegistry (./answer-registry.ts, in this process's memory — SQLite, one instance) and
 * SharedAnswerRegistry (./shared-answer-registry.ts — several instances on one PostgreSQL).
 */
import type { StopAnswerDto } from "@/lib/schemas/conversations";
import type { ChatEvent } from "@/lib/schemas/events";
import { ChatError } from "./chat-error";
import type { IsAnswering } from "./conversations";

/** 409: the conversation's answer is running, queued or being prepared. */
export function stillAnswering(): ChatError {
  return new ChatError("answering", "This conversation is still answering. Stop that answer first, then send again.", "conversationId");
}

/** A RunningAnswer or a RunningCompare. */
export interface ConversationRun {
  readonly conversationId: string;
  /** Resolves once everything it wrote is saved (or rolled back). */
  readonly settled: Promise<StopAnswerDto>;
  stop(): Promise<StopAnswerDto>;
  /** Its events from now on; `snapshot` puts first an event saying how far it got. */
  listen(options: { snapshot: boolean; signal?: AbortSignal }): AsyncGenerator<ChatEvent>;
}

export interface RunningAnswers {
  /**
   * Holds the conversation for an answer being prepared (its turn written); 409 (`answering`) when it
   * already has an answer running, queued or being prepared. Returns the release; `track` right after
   * it (no await between) keeps the hold for the answer.
   */
  reserve(conversationId: string): Promise<() => void>;
  /** Registers an answer until it settles. */
  track(answer: ConversationRun): void;
  /** Which conversations answer now (one look, for one listing). */
  answering(): Promise<IsAnswering>;
  /** Stops the conversation's answer and resolves once it is saved; null when nothing runs. */
  stop(conversationId: string): Promise<StopAnswerDto | null>;
  /** A snapshot of the conversation's answer, then its events until it ends or `signal` fires; null when nothing runs. */
  follow(conversationId: string, signal: AbortSignal): Promise<AsyncGenerator<ChatEvent> | null>;
  /** Stops the answers running in this process (shutdown) and waits until they are saved. */
  stopAll(): Promise<void>;
}
