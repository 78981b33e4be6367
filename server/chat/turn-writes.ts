/**
 * The writes of one chat turn, each group in one transaction:
 * - `prepareTurn` (before generation): create the conversation if needed, apply the mode (append,
 *   or replace the last answer / the last question and its answer), store the user message and a
 *   placeholder answer, store the merged settings. The placeholder reserves the answer's place
 *   (a quick "Stop, then send again" cannot put the new question before the old answer) and, if the
 *   process dies mid-answer, leaves an empty answer marked "stopped" instead of nothing.
 * - `undoTurn`: the job never started (refused: busy, context overflow; or stopped while queued):
 *   the turn is rolled back, replaced rows restored, so it leaves the database as it was.
 * - `saveProgress`: the text so far, while streaming (see progress-saver.ts).
 * - `saveAnswer`: the answer's text, status, stats.
 */
import type { ParsedChatRequest } from "@/lib/schemas/chat";
import type { MessageStatus } from "@/lib/schemas/conversations";
import { DEFAULT_GENERATION_PARAMS, type GenerationParams } from "@/lib/schemas/params";
import type { GenerationStats } from "@/lib/schemas/stats";
import * as conversationsRepo from "@/server/db/conversations-repo";
import * as messagesRepo from "@/server/db/messages-repo";
import type { MessageRow } from "@/server/db/schema";
import type { Db } from "@/server/db/types";
import type { ChatTurn } from "@/server/engine/types";
import { autoTitle } from "./auto-title";
import { ChatError, conversationNotFound } from "./chat-error";
import { buildEngineMessages } from "./history";
import { newId } from "./ids";

export interface PreparedTurn {
  conversationId: string;
  title: string;
  userMessageId: string;
  assistantMessageId: string;
  params: GenerationParams;
  engineMessages: ChatTurn[];
  /** What `undoTurn` needs to put things back. */
  undo: {
    createdConversation: boolean;
    insertedUserMessageId: string | null;
    removed: MessageRow[];
    previous: { title: string; params: GenerationParams; updatedAt: Date } | null;
  };
}

function lastUserIndex(messages: MessageRow[]): number {
  for (let i = messages.length - 1; i >= 0; i -= 1) if (messages[i].role === "user") return i;
  return -1;
}

function mergeParams(base: GenerationParams, patch: Partial<GenerationParams> | undefined): GenerationParams {
  const merged = { ...base };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

export function prepareTurn(db: Db, args: { request: ParsedChatRequest; now: Date }): PreparedTurn {
  const { request, now } = args;
  return db.transaction((tx) => {
    let conversation = request.conversationId ? conversationsRepo.getConversation(tx, { id: request.conversationId }) : undefined;
    if (request.conversationId && !conversation) throw conversationNotFound("conversationId");
    if (!conversation && request.mode !== "send") {
      throw new ChatError("invalid", `conversationId is required for mode "${request.mode}"`, "conversationId");
    }
    const createdConversation = !conversation;
    const previous = conversation ? { title: conversation.title, params: conversation.params, updatedAt: conversation.updatedAt } : null;
    conversation ??= conversationsRepo.createConversation(tx, {
      id: newId(),
      title: autoTitle(request.content),
      params: mergeParams(DEFAULT_GENERATION_PARAMS, request.params),
      createdAt: now,
    });
    const conversationId = conversation.id;
    const params = mergeParams(conversation.params, request.params);
    const existing = messagesRepo.listMessages(tx, { conversationId });
    const userIndex = lastUserIndex(existing);
    if (request.mode !== "send" && userIndex < 0) {
      throw new ChatError("conflict", `Nothing to ${request.mode === "edit" ? "edit" : "regenerate"}: the conversation has no user message`, "mode");
    }

    let history: MessageRow[];
    let removed: MessageRow[] = [];
    let userMessageId: string;
    let insertedUserMessageId: string | null = null;
    let title = conversation.title;
    if (request.mode === "regenerate") {
      removed = existing.slice(userIndex + 1);
      history = existing.slice(0, userIndex + 1);
      userMessageId = existing[userIndex].id;
    } else {
      if (request.mode === "edit") {
        removed = existing.slice(userIndex);
        const edited = existing[userIndex];
        // Editing the first question of a conversation that still has its automatic title retitles it.
        if (userIndex === existing.findIndex((m) => m.role === "user") && title === autoTitle(edited.content)) {
          title = autoTitle(request.content);
          conversationsRepo.renameConversation(tx, { id: conversationId, title, updatedAt: now });
        }
      }
      history = request.mode === "edit" ? existing.slice(0, userIndex) : existing;
      const user = messagesRepo.insertMessage(tx, {
        message: { id: newId(), conversationId, role: "user", content: request.content, status: "complete", createdAt: now },
      });
      history = [...history, user];
      userMessageId = insertedUserMessageId = user.id;
    }
    messagesRepo.deleteMessages(tx, { ids: removed.map((m) => m.id) });
    const assistant = messagesRepo.insertMessage(tx, {
      message: { id: newId(), conversationId, role: "assistant", content: "", status: "stopped", params, createdAt: now },
    });
    conversationsRepo.updateConversationParams(tx, { id: conversationId, params, updatedAt: now });
    return {
      conversationId,
      title,
      userMessageId,
      assistantMessageId: assistant.id,
      params,
      engineMessages: buildEngineMessages(history, params),
      undo: { createdConversation, insertedUserMessageId, removed, previous },
    };
  });
}

export function undoTurn(db: Db, turn: PreparedTurn): void {
  db.transaction((tx) => {
    const { undo } = turn;
    // Deleted meanwhile: nothing left to restore.
    if (!conversationsRepo.getConversation(tx, { id: turn.conversationId })) return;
    if (undo.createdConversation || !undo.previous) {
      conversationsRepo.deleteConversation(tx, { id: turn.conversationId });
      return;
    }
    const ids = [turn.assistantMessageId, ...(undo.insertedUserMessageId ? [undo.insertedUserMessageId] : [])];
    messagesRepo.deleteMessages(tx, { ids });
    messagesRepo.insertMessages(tx, { messages: undo.removed.map(({ seq: _seq, ...row }) => row) });
    if (undo.previous.title !== turn.title) {
      conversationsRepo.renameConversation(tx, { id: turn.conversationId, title: undo.previous.title, updatedAt: undo.previous.updatedAt });
    }
    conversationsRepo.updateConversationParams(tx, { id: turn.conversationId, params: undo.previous.params, updatedAt: undo.previous.updatedAt });
  });
}

export interface FinishedAnswer {
  content: string;
  status: MessageStatus;
  stats: GenerationStats;
  error: string | null;
}

/** The streamed text so far; false when the answer's row is gone (conversation deleted). */
export function saveProgress(db: Db, args: { turn: PreparedTurn; content: string }): boolean {
  return messagesRepo.updateMessage(db, { id: args.turn.assistantMessageId, patch: { content: args.content } });
}

/** Returns false when the conversation was deleted while the answer was being generated. */
export function saveAnswer(db: Db, args: { turn: PreparedTurn; answer: FinishedAnswer; now: Date }): boolean {
  const { turn, answer, now } = args;
  return db.transaction((tx) => {
    const updated = messagesRepo.updateMessage(tx, {
      id: turn.assistantMessageId,
      patch: {
        content: answer.content,
        status: answer.status,
        stats: answer.stats,
        error: answer.error,
      },
    });
    if (updated) conversationsRepo.touchConversation(tx, { id: turn.conversationId, updatedAt: now });
    return updated;
  });
}
