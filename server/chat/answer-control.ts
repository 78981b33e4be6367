/**
 * The use cases behind `POST /api/conversations/{id}/stop` and `GET /api/conversations/{id}/stream`:
 * control of and re-attachment to a conversation's running answer. Both answer null when nothing
 * runs (the routes' 204) and 404 for a conversation that does not exist.
 */
import type { StopAnswerDto } from "@/lib/schemas/conversations";
import type { ChatEvent } from "@/lib/schemas/events";
import * as conversationsRepo from "@/server/db/conversations-repo";
import type { Db } from "@/server/db/types";
import type { AnswerRegistry } from "./answer-registry";
import { conversationNotFound } from "./chat-error";

function assertExists(db: Db, id: string): void {
  if (!conversationsRepo.getConversation(db, { id })) throw conversationNotFound("id");
}

/** Stops the running (or queued) answer and resolves once it is saved ("stopped") or rolled back (queued). */
export async function stopAnswer(db: Db, args: { registry: AnswerRegistry; id: string }): Promise<StopAnswerDto | null> {
  const stopping = args.registry.stop(args.id);
  if (stopping) return stopping;
  assertExists(db, args.id);
  return null;
}

/** A `snapshot` of the answer so far, then its remaining events; `signal` detaches (the answer goes on). */
export function followAnswer(db: Db, args: { registry: AnswerRegistry; id: string; signal: AbortSignal }): AsyncGenerator<ChatEvent> | null {
  const answer = args.registry.get(args.id);
  if (answer) return answer.listen({ snapshot: true, signal: args.signal });
  assertExists(db, args.id);
  return null;
}
