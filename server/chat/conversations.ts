/** Conversation use cases behind `/api/conversations…`: list/search, read, create, update, delete. */
import type { ConversationDto, ConversationSummaryDto } from "@/lib/schemas/conversations";
import { DEFAULT_GENERATION_PARAMS, type GenerationParams } from "@/lib/schemas/params";
import * as conversationsRepo from "@/server/db/conversations-repo";
import * as messagesRepo from "@/server/db/messages-repo";
import { searchConversations } from "@/server/db/search-repo";
import type { Db } from "@/server/db/types";
import { ChatError, conversationNotFound } from "./chat-error";
import type { AnswerRegistry } from "./answer-registry";
import { newId } from "./ids";
import { buildMessageTree } from "./message-tree";
import { toConversationDto, toSummaryDto } from "./to-dto";

/** Which conversations have an answer running or queued (the answer registry's view); none by default. */
export type IsAnswering = (conversationId: string) => boolean;
const nothingAnswers: IsAnswering = () => false;

/** Newest first; with `q`, only conversations whose title or messages match, each with its snippet. */
export function listConversations(db: Db, args: { q?: string; limit: number; isAnswering?: IsAnswering }): ConversationSummaryDto[] {
  const q = args.q?.trim();
  const answering = args.isAnswering ?? nothingAnswers;
  if (!q) return conversationsRepo.listConversations(db, { limit: args.limit }).map((row) => toSummaryDto(row, undefined, answering(row.id)));
  const hits = searchConversations(db, { query: q, limit: args.limit });
  const snippets = new Map(hits.map((hit) => [hit.conversationId, hit.snippet]));
  return conversationsRepo
    .listConversationsByIds(db, { ids: hits.map((hit) => hit.conversationId) })
    .map((row) => toSummaryDto(row, snippets.get(row.id), answering(row.id)));
}

export function getConversation(db: Db, args: { id: string; isAnswering?: IsAnswering }): ConversationDto {
  const row = conversationsRepo.getConversation(db, { id: args.id });
  if (!row) throw conversationNotFound("id");
  const answering = (args.isAnswering ?? nothingAnswers)(row.id);
  return toConversationDto(row, messagesRepo.listMessages(db, { conversationId: row.id }), answering);
}

export function createConversation(db: Db, args: { title?: string; params?: Partial<GenerationParams> }): ConversationDto {
  const row = conversationsRepo.createConversation(db, {
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
export function updateConversation(
  db: Db,
  args: { id: string; title?: string; params?: Partial<GenerationParams>; pinned?: boolean; activeMessageId?: string },
): ConversationDto {
  return db.transaction((tx) => {
    const row = conversationsRepo.getConversation(tx, { id: args.id });
    if (!row) throw conversationNotFound("id");
    const updatedAt = row.updatedAt;
    if (args.activeMessageId !== undefined) switchBranch(tx, { id: args.id, messageId: args.activeMessageId });
    if (args.title !== undefined) conversationsRepo.renameConversation(tx, { id: args.id, title: args.title, updatedAt });
    if (args.params !== undefined) {
      conversationsRepo.updateConversationParams(tx, { id: args.id, params: { ...row.params, ...args.params }, updatedAt });
    }
    if (args.pinned !== undefined) conversationsRepo.setConversationPinned(tx, { id: args.id, pinned: args.pinned });
    return getConversation(tx, { id: args.id });
  });
}

/**
 * Makes the branch through `messageId` the active one. Below the chosen message it follows the
 * newest message written, so switching back to a version lands where the user last worked in it
 * (ChatGPT does the same: a version brings back its latest continuation).
 */
export function switchBranch(db: Db, args: { id: string; messageId: string }): void {
  const tree = buildMessageTree(messagesRepo.listMessages(db, { conversationId: args.id }));
  const leaf = tree.newestLeafUnder(args.messageId);
  if (!leaf) throw new ChatError("not_found", "Message not found", "activeMessageId");
  conversationsRepo.setActiveLeaf(db, { id: args.id, leafId: leaf.id });
}

/** A running answer is stopped first: its decode loop sees the abort before its next step, freeing the model. */
export function deleteConversation(db: Db, args: { id: string; registry?: AnswerRegistry }): void {
  void args.registry?.stop(args.id);
  if (!conversationsRepo.deleteConversation(db, { id: args.id })) throw conversationNotFound("id");
}
