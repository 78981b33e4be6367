/**
 * The writes of one chat turn, each group in one transaction:
 * - `prepareTurn` (before generation): create the conversation if needed, place the turn in the
 *   message tree (see ./turn-plan.ts: nothing is replaced — a regenerated answer or an edited
 *   question is a new version next to the old one), store the user message and a placeholder
 *   answer, make the new answer the active leaf, store the merged settings. The placeholder
 *   reserves the answer's place and, if the process dies mid-answer, leaves an empty answer marked
 *   "stopped" instead of nothing. `continue` writes nothing new: the answer grows in place.
 * - `undoTurn`: the job never started (refused: busy, context overflow; or stopped while queued):
 *   the inserted rows go, the active branch, title and settings come back, so the database is as it was.
 * - `saveProgress`: the text so far, while streaming (see progress-saver.ts).
 * - `saveAnswer`: the answer's text, status, stats.
 */
import type { ParsedChatRequest } from "@/lib/schemas/chat";
import type { MessageStatus } from "@/lib/schemas/conversations";
import { DEFAULT_GENERATION_PARAMS, type GenerationParams } from "@/lib/schemas/params";
import { randomSeed } from "@/lib/seeded-rng";
import type { GenerationStats } from "@/lib/schemas/stats";
import type { Store } from "@/server/db/store";
import type { ChatTurn } from "@/server/engine/types";
import { autoTitle } from "./auto-title";
import { ChatError, conversationNotFound } from "./chat-error";
import { buildEngineMessages } from "./history";
import { newId } from "./ids";
import { buildMessageTree } from "./message-tree";
import { branchPrefix, readTokens, saveTokens, type BranchPrefix } from "./message-tokens";
import type { ReplayVerdict } from "@/lib/schemas/events";
import type { StoredToken } from "./token-blob";
import { planTurn } from "./turn-plan";
import { storedAttachments } from "./stored-attachments";

export interface PreparedTurn {
  conversationId: string;
  title: string;
  userMessageId: string;
  assistantMessageId: string;
  params: GenerationParams;
  engineMessages: ChatTurn[];
  /**
   * `continue`: the answer's text so far, which the prompt ends with (no end of turn) and the saved
   * answer starts with, and its stats to add the continuation's to. Empty / null for a new answer.
   */
  continued: { text: string; stats: GenerationStats | null } | null;
  /** `replay`: the answer this one re-runs, to compare the new text with. */
  replayOf: { messageId: string; content: string; tokenIds: number[] | null } | null;
  /** `branch`: the token ids the new answer starts with and their records (see message-tokens.ts). */
  branch: BranchPrefix | null;
  /** What `undoTurn` needs to put things back. */
  undo: {
    createdConversation: boolean;
    /** Rows written by this turn, parents first. */
    insertedIds: string[];
    previous: { title: string; params: GenerationParams; updatedAt: Date; activeLeafId: string | null } | null;
  };
}

/** `patch` over `base`, leaving out what `patch` does not set. */
export function mergeParams<T extends Partial<GenerationParams>>(base: T, patch: Partial<GenerationParams> | undefined): T {
  const merged = { ...base };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

function requiredContent(request: ParsedChatRequest): string {
  if (request.content === undefined) throw new ChatError("invalid", "content must be a string", "content");
  return request.content;
}

/** `vocabSize`: the loaded model's (a branch's token ids are checked against it), when the engine knows it. */
export async function prepareTurn(db: Store, args: { request: ParsedChatRequest; now: Date; vocabSize?: number }): Promise<PreparedTurn> {
  const { request, now } = args;
  return db.transaction(async (tx) => {
    let conversation = request.conversationId ? await tx.conversations.getConversation({ id: request.conversationId }) : undefined;
    if (request.conversationId && !conversation) throw conversationNotFound("conversationId");
    if (!conversation && request.mode !== "send") {
      throw new ChatError("invalid", `conversationId is required for mode "${request.mode}"`, "conversationId");
    }
    const createdConversation = !conversation;
    const previous = conversation
      ? { title: conversation.title, params: conversation.params, updatedAt: conversation.updatedAt, activeLeafId: conversation.activeLeafId }
      : null;
    conversation ??= await tx.conversations.createConversation({
      id: newId(),
      title: autoTitle(requiredContent(request)),
      params: mergeParams(DEFAULT_GENERATION_PARAMS, request.params),
      createdAt: now,
    });
    const conversationId = conversation.id;
    const params = mergeParams(conversation.params, request.params);
    const tree = buildMessageTree(await tx.messages.listMessages({ conversationId }));
    const plan = planTurn(tree, conversation.activeLeafId, request);
    const replayOf = plan.kind === "answer" && plan.replayOf ? plan.replayOf : null;
    // The answer records the seed it was sampled with, drawn here when the settings say "random", so
    // any answer can be replayed exactly; the conversation's own setting stays "random". A replay
    // runs with the replayed answer's settings, whatever the conversation's are now.
    const answerParams: GenerationParams = replayOf?.params ?? (params.seed === null ? { ...params, seed: randomSeed() } : params);
    const insertedIds: string[] = [];
    let title = conversation.title;
    let userMessageId: string;
    let assistantMessageId: string;
    let engineMessages: ChatTurn[];
    let continued: PreparedTurn["continued"] = null;
    let branch: BranchPrefix | null = null;

    if (plan.kind === "continue") {
      userMessageId = plan.history.findLast((m) => m.role === "user")?.id ?? "";
      assistantMessageId = plan.answer.id;
      continued = { text: plan.answer.content, stats: plan.answer.stats ?? null };
      engineMessages = [...buildEngineMessages(plan.history, params), { role: "assistant", content: plan.answer.content }];
    } else {
      let history = plan.history;
      let question = plan.kind === "answer" ? plan.question : null;
      if (plan.kind === "answer" && plan.branchOf) {
        branch = await branchPrefix(tx, { conversationId, messageId: plan.branchOf.id, tokenIndex: request.tokenIndex ?? -1, tokenId: request.tokenId ?? -1, vocabSize: args.vocabSize });
      }
      if (plan.kind === "question") {
        const content = requiredContent(request);
        // Editing the first question of a conversation that still has an automatic title retitles it: the
        // title belongs to the conversation, so it is automatic when it is any first question's (another
        // version's, after an earlier edit), and switching versions later leaves it as it is.
        const automatic = tree.children(null).some((root) => root.role === "user" && title === autoTitle(root.content));
        if (plan.edited && plan.edited.parentId === null && automatic) {
          title = autoTitle(content);
          await tx.conversations.renameConversation({ id: conversationId, title, updatedAt: now });
        }
        // An edit without files of its own keeps the edited question's.
        const files = request.attachments ? storedAttachments(request.attachments) : (plan.edited?.attachments ?? null);
        question = await tx.messages.insertMessage({
          message: { id: newId(), conversationId, parentId: plan.parentId, role: "user", content, status: "complete", attachments: files?.length ? files : null, createdAt: now },
        });
        insertedIds.push(question.id);
        history = [...history, question];
      }
      const assistant = await tx.messages.insertMessage({
        message: { id: newId(), conversationId, parentId: question!.id, role: "assistant", content: "", status: "stopped", params: answerParams, createdAt: now },
      });
      insertedIds.push(assistant.id);
      userMessageId = question!.id;
      assistantMessageId = assistant.id;
      engineMessages = buildEngineMessages(history, answerParams);
    }
    await tx.conversations.setActiveLeaf({ id: conversationId, leafId: assistantMessageId });
    await tx.conversations.updateConversationParams({ id: conversationId, params, updatedAt: now });
    return {
      conversationId,
      title,
      userMessageId,
      assistantMessageId,
      params: answerParams,
      engineMessages,
      continued,
      replayOf: replayOf
        ? { messageId: replayOf.id, content: replayOf.content, tokenIds: (await readTokens(tx, { conversationId, messageId: replayOf.id }))?.map((t) => t.id) ?? null }
        : null,
      branch,
      undo: { createdConversation, insertedIds, previous },
    };
  });
}

export async function undoTurn(db: Store, turn: PreparedTurn): Promise<void> {
  await db.transaction(async (tx) => {
    const { undo } = turn;
    // Deleted meanwhile: nothing left to restore.
    if (!(await tx.conversations.getConversation({ id: turn.conversationId }))) return;
    if (undo.createdConversation || !undo.previous) {
      await tx.conversations.deleteConversation({ id: turn.conversationId });
      return;
    }
    await tx.messages.deleteMessages({ ids: undo.insertedIds });
    await tx.conversations.setActiveLeaf({ id: turn.conversationId, leafId: undo.previous.activeLeafId });
    if (undo.previous.title !== turn.title) {
      await tx.conversations.renameConversation({ id: turn.conversationId, title: undo.previous.title, updatedAt: undo.previous.updatedAt });
    }
    await tx.conversations.updateConversationParams({ id: turn.conversationId, params: undo.previous.params, updatedAt: undo.previous.updatedAt });
  });
}

export interface FinishedAnswer {
  /** The text generated by this run (a continuation's text is appended to the answer so far). */
  content: string;
  status: MessageStatus;
  stats: GenerationStats;
  error: string | null;
  /** Token records of the whole answer: a continuation's earlier ones (`earlierTokens`), then this run's (a branch's forced start included). */
  tokens?: readonly StoredToken[];
  /** A replay's comparison with the answer it re-ran, stored with it (shown again after a reload). */
  replay?: ReplayVerdict | null;
}

/**
 * The streamed text so far (after a continued answer's earlier text) and, when there are any, the token
 * records so far — the whole answer's, as `saveAnswer` stores them — in one transaction, so a crash keeps
 * text and records that match. False when the answer's row is gone (conversation deleted).
 */
export async function saveProgress(db: Store, args: { turn: PreparedTurn; content: string; tokens: readonly StoredToken[] }): Promise<boolean> {
  const content = (args.turn.continued?.text ?? "") + args.content;
  return db.transaction(async (tx) => {
    const updated = await tx.messages.updateMessage({ id: args.turn.assistantMessageId, patch: { content } });
    if (updated && args.tokens.length > 0) await saveTokens(tx, { messageId: args.turn.assistantMessageId, tokens: args.tokens, draft: true });
    return updated;
  });
}

/**
 * A continued answer counts the tokens and time of all its runs, and its generation speed is theirs
 * together (every run's decoded tokens over every run's decode time), so the caption's three figures
 * describe the same answer; time to first token, prefill and prompt size are the last run's (how that
 * run started). `continuedRuns` says how many runs it took.
 */
export function mergedStats(before: GenerationStats | null | undefined, stats: GenerationStats): GenerationStats {
  if (!before) return stats;
  // A run's decode time, from its own figures: its tokens after the first, at its decode speed.
  const decodeMs = (s: GenerationStats) => (s.decodeTokPerS > 0 && s.completionTokens > 1 ? ((s.completionTokens - 1) * 1000) / s.decodeTokPerS : 0);
  const decoded = (s: GenerationStats) => (decodeMs(s) > 0 ? s.completionTokens - 1 : 0);
  const totalDecodeMs = decodeMs(before) + decodeMs(stats);
  return {
    ...stats,
    completionTokens: before.completionTokens + stats.completionTokens,
    totalMs: before.totalMs + stats.totalMs,
    decodeTokPerS: totalDecodeMs > 0 ? Math.round(((decoded(before) + decoded(stats)) * 1000 * 10) / totalDecodeMs) / 10 : 0,
    continuedRuns: (before.continuedRuns ?? 1) + 1,
  };
}

/**
 * The token records a continued answer already has (read once, before its first save: the partial saves
 * overwrite them with the whole answer's), none for a new answer.
 */
export async function earlierTokens(db: Store, turn: PreparedTurn): Promise<StoredToken[]> {
  if (!turn.continued) return [];
  return (await readTokens(db, { conversationId: turn.conversationId, messageId: turn.assistantMessageId })) ?? [];
}

/** Returns false when the conversation was deleted while the answer was being generated. */
export async function saveAnswer(db: Store, args: { turn: PreparedTurn; answer: FinishedAnswer; now: Date }): Promise<boolean> {
  const { turn, answer, now } = args;
  const stats = mergedStats(turn.continued?.stats, answer.stats);
  return db.transaction(async (tx) => {
    const updated = await tx.messages.updateMessage({
      id: turn.assistantMessageId,
      patch: {
        content: (turn.continued?.text ?? "") + answer.content,
        status: answer.status,
        stats,
        error: answer.error,
        ...(answer.replay ? { replay: answer.replay } : {}),
      },
    });
    if (updated) await tx.conversations.touchConversation({ id: turn.conversationId, updatedAt: now });
    if (updated && answer.tokens && answer.tokens.length > 0) await saveTokens(tx, { messageId: turn.assistantMessageId, tokens: answer.tokens });
    return updated;
  });
}
