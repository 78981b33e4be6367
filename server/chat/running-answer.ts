/**
 * One answer being generated, independent of any HTTP connection: its abort switch, where it is (queued,
 * prefill, generating), and the clients listening to it. The text and measurements so far are the
 * generation's AnswerMeter, read for a re-attaching client's snapshot.
 * Clients come and go (navigate, reload, a second tab); only `stop()` ends the answer early.
 */
import type { AnswerSnapshot, ChatEvent } from "@/lib/schemas/events";
import type { StopAnswerDto } from "@/lib/schemas/conversations";
import type { AnswerMeter } from "./answer-meter";
import { Broadcast } from "./broadcast";
import type { PreparedTurn } from "./turn-writes";

export class RunningAnswer {
  readonly conversationId: string;
  readonly userMessageId: string;
  readonly messageId: string;
  readonly title: string;
  private phase: AnswerSnapshot["phase"] = "prefill";
  private queuePosition: number | null = null;
  private readonly listeners = new Broadcast<ChatEvent>();
  private last: ChatEvent | null = null;
  private ended = false;
  private resolveSettled!: (result: StopAnswerDto) => void;
  /** Resolves once the answer is saved (or rolled back): how it ended. */
  readonly settled = new Promise<StopAnswerDto>((resolve) => (this.resolveSettled = resolve));

  constructor(
    turn: Pick<PreparedTurn, "conversationId" | "userMessageId" | "assistantMessageId" | "title">,
    /** The generation's abort switch. */
    private readonly abort: AbortController,
    /** The generation's measurements (runAnswer updates them before it publishes each event). */
    private readonly meter: AnswerMeter,
  ) {
    this.conversationId = turn.conversationId;
    this.userMessageId = turn.userMessageId;
    this.messageId = turn.assistantMessageId;
    this.title = turn.title;
  }

  get isQueued(): boolean {
    return this.phase === "queued";
  }

  /** Folds one event of the answer into the snapshot and hands it to every listener. */
  publish(event: ChatEvent): void {
    if (this.ended) return;
    if (event.event === "queued") {
      this.phase = "queued";
      this.queuePosition = event.data.position;
    } else if (event.event === "start") {
      this.phase = "prefill";
      this.queuePosition = null;
    } else if (event.event === "token") {
      this.phase = "generating";
    } else if (event.event === "done" || event.event === "error") {
      this.last = event;
    }
    this.listeners.push(event);
  }

  /** The generation ended (saved or rolled back): listeners finish reading, `settled` resolves. */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.listeners.end();
    this.resolveSettled({ messageId: this.messageId, status: this.savedStatus });
  }

  snapshot(): AnswerSnapshot {
    const { meter } = this;
    return {
      conversationId: this.conversationId,
      userMessageId: this.userMessageId,
      messageId: this.messageId,
      title: this.title,
      text: meter.text,
      phase: this.phase,
      queuePosition: this.queuePosition,
      stats: {
        promptTokens: meter.promptTokens,
        completionTokens: meter.tokens,
        elapsedMs: performance.now() - meter.clock.startedAt,
        ttftMs: meter.clock.ttftMs,
      },
    };
  }

  /**
   * The answer's events from now on (after a `snapshot` event of what came before, when asked),
   * until it ends or `signal` fires. Leaving never stops the answer.
   */
  listen(options: { snapshot: boolean; signal?: AbortSignal }): AsyncGenerator<ChatEvent> {
    return this.listeners.listen(options.snapshot ? { event: "snapshot", data: this.snapshot() } : null, options.signal);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** How the answer was saved, once it has been; null before, or when it was rolled back. */
  get savedStatus(): StopAnswerDto["status"] {
    return this.last?.event === "done" ? this.last.data.status : null;
  }

  /** Asks the generation to stop (the decode loop checks before each step) and waits until it is saved. */
  stop(): Promise<StopAnswerDto> {
    this.abort.abort();
    return this.settled;
  }
}
