/**
 * Database rows and engine results → the API's DTOs (lib/schemas/conversations.ts, stats.ts): ISO
 * dates, null instead of undefined.
 */
import type { ConversationDto, ConversationSummaryDto, MessageDto, SiblingsDto } from "@/lib/schemas/conversations";
import type { GenerationStats } from "@/lib/schemas/stats";
import type { EngineStats } from "@/server/engine/types";
import type { ConversationSummaryRow } from "@/server/db/conversations-repo";
import type { ConversationRow, MessageRow } from "@/server/db/schema";
import { buildMessageTree } from "./message-tree";

const ONLY_VERSION = (id: string): SiblingsDto => ({ index: 0, count: 1, ids: [id] });

export function toMessageDto(row: MessageRow, siblings: SiblingsDto = ONLY_VERSION(row.id)): MessageDto {
  return {
    id: row.id,
    conversationId: row.conversationId,
    parentId: row.parentId ?? null,
    siblings,
    role: row.role,
    content: row.content,
    status: row.status,
    stats: row.stats ?? null,
    params: row.params ?? null,
    error: row.error ?? null,
    createdAt: row.createdAt.toISOString(),
    ...(row.replay ? { replay: row.replay } : {}),
    ...(row.attachments?.length ? { attachments: row.attachments.map(({ name, mediaType, chars, tokens }) => ({ name, mediaType, chars, tokens })) } : {}),
  };
}

export function toSummaryDto(row: ConversationSummaryRow, snippet?: string, answering = false): ConversationSummaryDto {
  const dto: ConversationSummaryDto = {
    id: row.id,
    title: row.title,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    pinned: row.pinned,
    messageCount: row.messageCount,
    answering,
  };
  if (snippet !== undefined) dto.snippet = snippet;
  return dto;
}

/** `messages`: all of the conversation's messages; the DTO carries the active branch with each message's versions. */
export function toConversationDto(row: ConversationRow, messages: MessageRow[], answering = false, recorded: ReadonlySet<string> = new Set()): ConversationDto {
  const tree = buildMessageTree(messages);
  const branch = tree.activePath(row.activeLeafId);
  return {
    ...toSummaryDto({ ...row, messageCount: messages.length }, undefined, answering),
    params: row.params,
    messages: branch.map((m) => ({ ...toMessageDto(m, tree.siblings(m.id)), ...(m.role === "assistant" ? { hasTokenRecords: recorded.has(m.id) } : {}) })),
    activeLeafId: branch.at(-1)?.id ?? null,
  };
}

/** Field by field, so what the engine measures reaches the wire (and the database) only by choice. */
export function toStatsDto(stats: EngineStats): GenerationStats {
  return {
    promptTokens: stats.promptTokens,
    completionTokens: stats.completionTokens,
    cachedPromptTokens: stats.cachedPromptTokens,
    ttftMs: stats.ttftMs,
    prefillTokPerS: stats.prefillTokPerS,
    decodeTokPerS: stats.decodeTokPerS,
    totalMs: stats.totalMs,
    stopReason: stats.stopReason,
    ...(stats.draftTokens ? { draftTokens: stats.draftTokens, acceptedDraftTokens: stats.acceptedDraftTokens } : {}),
    ...(stats.answersSharing !== undefined ? { answersSharing: stats.answersSharing } : {}),
  };
}
