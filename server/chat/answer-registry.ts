/**
 * The answers being generated right now in this process, one per conversation at most: what lets an
 * answer outlive the page that asked for it (re-attach, stop from another tab, the sidebar's spinner)
 * and keeps two writers off one conversation. A compare pair is one entry: its two answers start, stop
 * and are followed together. On its own it is the single-instance RunningAnswers (SQLite); on
 * PostgreSQL SharedAnswerRegistry wraps it to reach the other instances.
 */
import type { StopAnswerDto } from "@/lib/schemas/conversations";
import type { ChatEvent } from "@/lib/schemas/events";
import { getAnswerClaims } from "@/server/db/connection";
import type { IsAnswering } from "./conversations";
import { stillAnswering, type ConversationRun, type RunningAnswers } from "./running-answers";
import { SharedAnswerRegistry } from "./shared-answer-registry";

export type { ConversationRun, RunningAnswers };

export class AnswerRegistry implements RunningAnswers {
  private readonly answers = new Map<string, ConversationRun>();
  /** Conversations whose next answer is being prepared (its turn written) and not tracked yet. */
  private readonly reserved = new Set<string>();

  get(conversationId: string): ConversationRun | undefined {
    return this.answers.get(conversationId);
  }

  /** True while the conversation's answer is generating or waiting for the model. */
  readonly isAnswering = (conversationId: string): boolean => this.answers.has(conversationId);

  get size(): number {
    return this.answers.size;
  }

  /** 409 when the conversation already has an answer running or queued. */
  assertIdle(conversationId: string): void {
    if (!this.answers.has(conversationId) && !this.reserved.has(conversationId)) return;
    throw stillAnswering();
  }

  /** Holds the conversation for an answer being prepared (409 for others meanwhile); returns the release. */
  async reserve(conversationId: string): Promise<() => void> {
    this.assertIdle(conversationId);
    this.reserved.add(conversationId);
    return () => this.reserved.delete(conversationId);
  }

  /** Registers an answer until it settles. */
  track(answer: ConversationRun): void {
    this.assertIdle(answer.conversationId);
    this.answers.set(answer.conversationId, answer);
    void answer.settled.then(() => {
      if (this.answers.get(answer.conversationId) === answer) this.answers.delete(answer.conversationId);
    });
  }

  async answering(): Promise<IsAnswering> {
    return this.isAnswering;
  }

  /** Stops the conversation's answer and waits until it is saved; null when nothing runs. */
  async stop(conversationId: string): Promise<StopAnswerDto | null> {
    return (await this.answers.get(conversationId)?.stop()) ?? null;
  }

  async follow(conversationId: string, signal: AbortSignal): Promise<AsyncGenerator<ChatEvent> | null> {
    return this.answers.get(conversationId)?.listen({ snapshot: true, signal }) ?? null;
  }

  /** Stops every answer (shutdown) and waits until all are saved. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.answers.values()].map((answer) => answer.stop()));
  }
}

const GLOBAL_KEY = Symbol.for("bitnet-chat.answer-registry");

/**
 * The process-wide registry: shared through the database on PostgreSQL, in memory on SQLite. On
 * globalThis because Next.js may bundle route handlers (and instrumentation) apart, each with its own
 * copy of this module, and they must all see one registry.
 */
export function answerRegistry(): RunningAnswers {
  const store = globalThis as { [GLOBAL_KEY]?: RunningAnswers };
  if (!store[GLOBAL_KEY]) {
    const claims = getAnswerClaims();
    store[GLOBAL_KEY] = claims ? new SharedAnswerRegistry(claims, new AnswerRegistry()) : new AnswerRegistry();
  }
  return store[GLOBAL_KEY];
}
