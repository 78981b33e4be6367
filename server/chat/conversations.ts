/** Conversation use cases behind `/api/conversations…`: list/search, read, create, update, delete. */
import type { ConversationDto, ConversationSummaryDto } from "@/lib/schemas/conversations";
import { DEFAULT_GENERATION_PARAMS, type GenerationParams } from "@/lib/schemas/params";
import type { Store } from "@/server/db/store";
import { ChatError, conversationNotFound } from "./chat-error";
import type { RunningAnswers } from "./running-answers";
import { newId } from "./ids";
import { buildMessageTree } from "./message-tree";
import { toConversationDto, toSummaryDto } from "./to-dto";

/** Which conversations have an answer running or queued (the answer registry's view); none by default. */
export type IsAnswering = (conversationId: string) => boolean;
const nothingAnswers: IsAnswering = () => false;

/** Newest first; with `q`, only conversations whose title or messages match, each with its snippet. */
export async function listConversations(db: Store, args: { q?: string; limit: number; isAnswering?: IsAnswering }): Promise<ConversationSummaryDto[]> {
  const q = args.q?.trim();
  const answering = args.isAnswering ?? nothingAnswers;
  if (!q) return (await db.conversations.listConversations({ limit: args.limit })).map((row) => toSummaryDto(row, undefined, answering(row.id)));
  const hits = await db.search.searchConversations({ query: q, limit: args.limit });
  const snippets = new Map(hits.map((hit) => [hit.conversationId, hit.snippet]));
  return (await db.conversations.listConversationsByIds({ ids: hits.map((hit) => hit.conversationId) })).map((row) => toSummaryDto(row, snippets.get(row.id), answering(row.id)));
}

export async function getConversation(db: Store, args: { id: string; isAnswering?: IsAnswering }): Promise<ConversationDto> {
  const row = await db.conversations.getConversation({ id: args.id });
  if (!row) throw conversationNotFound("id");
  const answering = (args.isAnswering ?? nothingAnswers)(row.id);
  const messages = await db.messages.listMessages({ conversationId: row.id });
  // Which answers the token view can open (imports without records, answers stopped before their first token have none).
  const recorded = await db.messageTokens.listRecordedMessageIds({ messageIds: messages.filter((m) => m.role === "assistant").map((m) => m.id) });
  return toConversationDto(row, messages, answering, recorded);
}

export async function createConversation(db: Store, args: { title?: string; params?: Partial<GenerationParams> }): Promise<ConversationDto> {
  const row = await db.conversations.createConversation({
    id: newId(),
    title: args.title ?? "New chat",
    params: { ...DEFAULT_GENERATION_PARAMS, ...args.params },
    createdAt: new Date(),
  });
  return toConversationDto(row, []);
}

/**
 * Rename, change the settings, pin, switch the branch shown. None of these is activity: `updatedAt` (which orders the
 * sidebar and puts a chat under "Today") moves only with new messages.
 */
export async function updateConversation(
  db: Store,
  args: { id: string; title?: string; params?: Partial<GenerationParams>; pinned?: boolean; activeMessageId?: string },
): Promise<ConversationDto> {
  return db.transaction(async (tx) => {
    const row = await tx.conversations.getConversation({ id: args.id });
    if (!row) throw conversationNotFound("id");
    const updatedAt = row.updatedAt;
    if (args.activeMessageId !== undefined) await switchBranch(tx, { id: args.id, messageId: args.activeMessageId });
    if (args.title !== undefined) await tx.conversations.renameConversation({ id: args.id, title: args.title, updatedAt });
    if (args.params !== undefined) {
      await tx.conversations.updateConversationParams({ id: args.id, params: { ...row.params, ...args.params }, updatedAt });
    }
    if (args.pinned !== undefined) await tx.conversations.setConversationPinned({ id: args.id, pinned: args.pinned });
    return await getConversation(tx, { id: args.id });
  });
}

/**
 * Makes the branch through `messageId` the active one. Below the chosen message it follows the
 * newest message written, so switching back to a version lands where the user last worked in it
 * (ChatGPT does the same: a version brings back its latest continuation).
 */
export async function switchBranch(db: Store, args: { id: string; messageId: string }): Promise<void> {
  const tree = buildMessageTree(await db.messages.listMessages({ conversationId: args.id }));
  const leaf = tree.newestLeafUnder(args.messageId);
  if (!leaf) throw new ChatError("not_found", "Message not found", "activeMessageId");
  await db.conversations.setActiveLeaf({ id: args.id, leafId: leaf.id });
}

/**
 * A running answer is stopped first: its decode loop sees the abort before its next step, freeing the model.
 * Only once the conversation is known to exist in this store (with accounts: to be the account's).
 */
export async function deleteConversation(db: Store, args: { id: string; registry?: RunningAnswers }): Promise<void> {
  if (!(await db.conversations.getConversation({ id: args.id }))) throw conversationNotFound("id");
  void args.registry?.stop(args.id);
  if (!(await db.conversations.deleteConversation({ id: args.id }))) throw conversationNotFound("id");
}
