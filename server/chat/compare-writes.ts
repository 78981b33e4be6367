/**
 * The writes of a compare turn (`mode: "compare"`): one question answered twice, with two settings.
 * `prepareCompare` stores, in one transaction, the question and two placeholder answers — siblings,
 * i.e. two versions of the answer — with the first as the active leaf; the conversation keeps the
 * request's settings, not either variant's. Each side is a PreparedTurn that runs and saves like any
 * answer. `compareUndo` takes back a side whose job never started (only its placeholder; the whole
 * turn once both never started), so what stays stored is exactly what was answered.
 */
import type { ParsedChatRequest } from "@/lib/schemas/chat";
import { DEFAULT_GENERATION_PARAMS, type GenerationParams } from "@/lib/schemas/params";
import { randomSeed } from "@/lib/seeded-rng";
import type { Store } from "@/server/db/store";
import { ChatError } from "./chat-error";
import { withSystemPrompt } from "./history";
import { newId } from "./ids";
import { mergeParams, prepareTurn, undoTurn, type PreparedTurn } from "./turn-writes";

export interface PreparedCompare {
  conversationId: string;
  title: string;
  userMessageId: string;
  /** Left and right: same question, same history, each with its own settings, seed and answer row. */
  sides: [PreparedTurn, PreparedTurn];
}

export async function prepareCompare(db: Store, args: { request: ParsedChatRequest; now: Date }): Promise<PreparedCompare> {
  const { request, now } = args;
  const variants = request.variants;
  if (request.mode !== "compare" || !variants || variants.length !== 2) {
    throw new ChatError("invalid", "variants must hold exactly two settings", "variants");
  }
  return db.transaction(async (tx) => {
    const left = await prepareTurn(tx, { request: { ...request, mode: "send", params: mergeParams({ ...request.params }, variants[0]) }, now });
    const { conversationId } = left;
    // The conversation keeps the settings it was asked with; each variant only shapes its own answer.
    const base = mergeParams(left.undo.previous?.params ?? DEFAULT_GENERATION_PARAMS, request.params);
    await tx.conversations.updateConversationParams({ id: conversationId, params: base, updatedAt: now });
    const merged = mergeParams(base, variants[1]);
    const params: GenerationParams = merged.seed === null ? { ...merged, seed: randomSeed() } : merged;
    const answer = await tx.messages.insertMessage({
      message: { id: newId(), conversationId, parentId: left.userMessageId, role: "assistant", content: "", status: "stopped", params, createdAt: now },
    });
    const undo = { ...left.undo, insertedIds: [...left.undo.insertedIds, answer.id] };
    const right: PreparedTurn = { ...left, assistantMessageId: answer.id, params, engineMessages: withSystemPrompt(left.engineMessages, params.systemPrompt), undo };
    return { conversationId, title: left.title, userMessageId: left.userMessageId, sides: [{ ...left, undo }, right] };
  });
}

/** Returns the rollback of side `index` (0 or 1) for a job that never started. */
export function compareUndo(db: Store, pair: PreparedCompare): (index: number) => Promise<void> {
  const gone = new Set<number>();
  return async (index) => {
    gone.add(index);
    if (gone.size === 2) {
      await undoTurn(db, pair.sides[0]);
      return;
    }
    const side = pair.sides[index]!;
    const other = pair.sides[1 - index]!;
    await db.transaction(async (tx) => {
      const conversation = await tx.conversations.getConversation({ id: pair.conversationId });
      if (!conversation) return;
      await tx.messages.deleteMessages({ ids: [side.assistantMessageId] });
      if (conversation.activeLeafId === side.assistantMessageId) {
        await tx.conversations.setActiveLeaf({ id: pair.conversationId, leafId: other.assistantMessageId });
      }
    });
  };
}
