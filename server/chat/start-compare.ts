/**
 * Starts a compare pair (`mode: "compare"`): both answers are handed to the engine at once and the
 * engine's scheduler decides whether they run together (multi-sequence decoding) or one after the
 * other (one sequence at a time: the second waits in line and says so with its `queued` event).
 * Like a single answer, the pair belongs to the server: clients only listen.
 */
import type { ChatEvent } from "@/lib/schemas/events";
import { drive, reserveConversation, type StartAnswerArgs } from "./start-answer";
import { compareUndo, prepareCompare } from "./compare-writes";
import { AnswerMeter } from "./answer-meter";
import { RunningCompare } from "./running-compare";
import { runAnswer } from "./send-message";

export interface StartedCompare {
  conversationId: string;
  pair: RunningCompare;
  /** This caller's events: `compare` first, then both answers' events tagged with `answer`. */
  events: AsyncGenerator<ChatEvent>;
}

/** Throws 409 (`answering`) when the conversation already has an answer running, queued or being prepared. */
export async function startCompare(args: StartAnswerArgs): Promise<StartedCompare> {
  const { db, engine, registry, request } = args;
  // Held while the turn is written, released right before `track` (see startAnswer).
  const release = await reserveConversation(db, registry, request.conversationId);
  const abort = new AbortController();
  let prepared: Awaited<ReturnType<typeof prepareCompare>>;
  try {
    prepared = await prepareCompare(db, { request, now: new Date() });
  } finally {
    release();
  }
  const undo = compareUndo(db, prepared);
  const meters = prepared.sides.map(() => new AnswerMeter());
  const pair = new RunningCompare(prepared, abort, meters);
  registry.track(pair);
  const listener = pair.listen({ signal: args.signal });
  prepared.sides.forEach((turn, index) => {
    const events = runAnswer({ db, engine, signal: abort.signal, progress: args.progress }, turn, () => undo(index), meters[index]);
    void drive(events, { publish: (event) => pair.publish(index, event), finish: () => pair.finish(index) });
  });
  return { conversationId: prepared.conversationId, pair, events: listener };
}
