/**
 * The use cases behind `POST /api/conversations/{id}/stop` and `GET /api/conversations/{id}/stream`:
 * control of and re-attachment to a conversation's running answer. Both answer null when nothing
 * runs (the routes' 204) and 404 for a conversation that does not exist.
 */
import type { StopAnswerDto } from "@/lib/schemas/conversations";
import type { ChatEvent } from "@/lib/schemas/events";
import type { Store } from "@/server/db/store";
import type { RunningAnswers } from "./running-answers";
import { conversationNotFound } from "./chat-error";

async function assertExists(db: Store, id: string): Promise<void> {
  if (!(await db.conversations.getConversation({ id }))) throw conversationNotFound("id");
}

/** Stops the running (or queued) answer and resolves once it is saved ("stopped") or rolled back (queued). */
export async function stopAnswer(db: Store, args: { registry: RunningAnswers; id: string }): Promise<StopAnswerDto | null> {
  const stopped = await args.registry.stop(args.id);
  if (stopped) return stopped;
  await assertExists(db, args.id);
  return null;
}

/** A `snapshot` of the answer so far, then its remaining events; `signal` detaches (the answer goes on). */
export async function followAnswer(db: Store, args: { registry: RunningAnswers; id: string; signal: AbortSignal }): Promise<AsyncGenerator<ChatEvent> | null> {
  const answer = await args.registry.follow(args.id, args.signal);
  if (answer) return answer;
  await assertExists(db, args.id);
  // Started while the existence check was awaited: follow it too.
  return args.registry.follow(args.id, args.signal);
}
