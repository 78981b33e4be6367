/**
 * The use cases behind `POST /api/conversations/{id}/stop` and `GET /api/conversations/{id}/stream`:
 * control of and re-attachment to a conversation's running answer. Both answer null when nothing
 * runs (the routes' 204) and 404 for a conversation that does not exist.
 */
import type { StopAnswerDto } from "@/lib/schemas/conversations";
import type { ChatEvent } from "@/lib/schemas/events";
import type { Store } from "@/server/db/store";
import type { AnswerRegistry } from "./answer-registry";
import { conversationNotFound } from "./chat-error";

async function assertExists(db: Store, id: string): Promise<void> {
  if (!(await db.conversations.getConversation({ id }))) throw conversationNotFound("id");
}

/** Stops the running (or queued) answer and resolves once it is saved ("stopped") or rolled back (queued). */
export async function stopAnswer(db: Store, args: { registry: AnswerRegistry; id: string }): Promise<StopAnswerDto | null> {
  const stopping = args.registry.stop(args.id);
  if (stopping) return stopping;
  await assertExists(db, args.id);
  return null;
}

/** A `snapshot` of the answer so far, then its remaining events; `signal` detaches (the answer goes on). */
export async function followAnswer(db: Store, args: { registry: AnswerRegistry; id: string; signal: AbortSignal }): Promise<AsyncGenerator<ChatEvent> | null> {
  const answer = args.registry.get(args.id);
  if (answer) return answer.listen({ snapshot: true, signal: args.signal });
  await assertExists(db, args.id);
  // Started while the existence check was awaited: follow it too.
  const started = args.registry.get(args.id);
  if (started) return started.listen({ snapshot: true, signal: args.signal });
  return null;
}
