/**
 * The answers being generated right now, one per conversation at most: what lets an answer outlive
 * the page that asked for it (re-attach, stop from another tab, the sidebar's spinner) and keeps two
 * writers off one conversation. A compare pair is one entry: its two answers start, stop and are
 * followed together.
 */
import { ChatError } from "./chat-error";
import type { StopAnswerDto } from "@/lib/schemas/conversations";
import type { ChatEvent } from "@/lib/schemas/events";

/** A RunningAnswer or a RunningCompare. */
export interface ConversationRun {
  readonly conversationId: string;
  /** Resolves once everything it wrote is saved (or rolled back). */
  readonly settled: Promise<StopAnswerDto>;
  stop(): Promise<StopAnswerDto>;
  /** Its events from now on; `snapshot` puts first an event saying how far it got. */
  listen(options: { snapshot: boolean; signal?: AbortSignal }): AsyncGenerator<ChatEvent>;
}

export class AnswerRegistry {
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
    throw new ChatError("answering", "This conversation is still answering. Stop that answer first, then send again.", "conversationId");
  }

  /** Holds the conversation for an answer being prepared (409 for others meanwhile); returns the release. */
  reserve(conversationId: string): () => void {
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

  /** Stops the conversation's answer and waits until it is saved; null when nothing runs. */
  stop(conversationId: string): Promise<StopAnswerDto> | null {
    return this.answers.get(conversationId)?.stop() ?? null;
  }

  /** Stops every answer (shutdown) and waits until all are saved. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.answers.values()].map((answer) => answer.stop()));
  }
}

const GLOBAL_KEY = Symbol.for("bitnet-chat.answer-registry");

/**
 * The process-wide registry. On globalThis because Next.js may bundle route handlers (and
 * instrumentation) apart, each with its own copy of this module, and they must all see one registry.
 */
export function answerRegistry(): AnswerRegistry {
  const store = globalThis as { [GLOBAL_KEY]?: AnswerRegistry };
  return (store[GLOBAL_KEY] ??= new AnswerRegistry());
}
