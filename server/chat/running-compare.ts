/**
 * A compare pair being generated: two answers to one question that the registry holds as one unit
 * of the conversation (one Stop stops both, one `/stream` follows both, a second request gets 409
 * until both have ended). Each side is a RunningAnswer (reading its own meter for the snapshot); listeners get every event tagged with its side's `answer` index.
 */
import type { StopAnswerDto } from "@/lib/schemas/conversations";
import type { ChatEvent, CompareSide } from "@/lib/schemas/events";
import { Broadcast } from "./broadcast";
import type { AnswerMeter } from "./answer-meter";
import type { PreparedCompare } from "./compare-writes";
import { RunningAnswer } from "./running-answer";

export class RunningCompare {
  readonly conversationId: string;
  private readonly sides: RunningAnswer[];
  private readonly listeners = new Broadcast<ChatEvent>();
  /** Resolves once both answers are saved (or rolled back). */
  readonly settled: Promise<StopAnswerDto>;

  constructor(
    private readonly pair: PreparedCompare,
    /** Both generations' abort switch. */
    private readonly abort: AbortController,
    /** Each side's meter, in side order (its runAnswer measures, the side's snapshot reads). */
    meters: readonly AnswerMeter[],
  ) {
    this.conversationId = pair.conversationId;
    this.sides = pair.sides.map((turn, i) => new RunningAnswer(turn, abort, meters[i]!));
    this.settled = Promise.all(this.sides.map((side) => side.settled)).then((answers) => ({ ...answers[0]!, answers }));
  }

  /** One event of side `index`: folded into that side's snapshot, then sent to every listener tagged with the side. */
  publish(index: number, event: ChatEvent): void {
    const side = this.sides[index]!;
    if (side.isEnded) return;
    side.publish(event);
    this.listeners.push({ event: event.event, data: { ...event.data, answer: index } } as ChatEvent);
  }

  /** Side `index` is saved or rolled back; once both are, listeners finish and `settled` resolves. */
  finish(index: number): void {
    this.sides[index]!.finish();
    if (this.sides.every((side) => side.isEnded)) this.listeners.end();
  }

  /** The `compare` event: the question and both answers so far. */
  private compareEvent(): ChatEvent {
    const answers = this.sides.map((side, i): CompareSide => {
      const snapshot = side.snapshot();
      return {
        messageId: snapshot.messageId,
        params: this.pair.sides[i]!.params,
        text: snapshot.text,
        phase: snapshot.phase,
        queuePosition: snapshot.queuePosition,
        ended: side.isEnded,
        status: side.savedStatus,
      };
    });
    return { event: "compare", data: { conversationId: this.conversationId, userMessageId: this.pair.userMessageId, title: this.pair.title, answers } };
  }

  /**
   * The `compare` event (always: it is both the pair's announcement and its snapshot), then both
   * answers' events until both end or `signal` fires. Leaving never stops them.
   */
  listen(options: { snapshot?: boolean; signal?: AbortSignal }): AsyncGenerator<ChatEvent> {
    return this.listeners.listen(this.compareEvent(), options.signal);
  }

  stop(): Promise<StopAnswerDto> {
    this.abort.abort();
    return this.settled;
  }
}
