/**
 * The use cases behind `POST /api/conversations/{id}/stop` and `GET /api/conversations/{id}/stream`:
 * control of and re-attachment to a conversation's running answer. Both answer null when nothing
 * runs (the routes' 204) and 404 for a conversation that does not exist — checked first, so another account's
 * conversation (BITNET_AUTH=accounts; the store is that account's view) can be neither stopped nor followed.
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
  await assertExists(db, args.id);
  return args.registry.stop(args.id);
}

/** A `snapshot` of the answer so far, then its remaining events; `signal` detaches (the answer goes on). */
export async function followAnswer(db: Store, args: { registry: RunningAnswers; id: string; signal: AbortSignal }): Promise<AsyncGenerator<ChatEvent> | null> {
  await assertExists(db, args.id);
  return args.registry.follow(args.id, args.signal);
}
