/**
 * Database rows and engine results → the API's DTOs (lib/schemas/conversations.ts, stats.ts): ISO
 * dates, null instead of undefined.
 */
import type { ConversationDto, ConversationSummaryDto, MessageDto } from "@/lib/schemas/conversations";
import type { GenerationStats } from "@/lib/schemas/stats";
import type { EngineStats } from "@/server/engine/types";
import type { ConversationSummaryRow } from "@/server/db/conversations-repo";
import type { ConversationRow, MessageRow } from "@/server/db/schema";

export function toMessageDto(row: MessageRow): MessageDto {
  return {
    id: row.id,
    conversationId: row.conversationId,
    role: row.role,
    content: row.content,
    status: row.status,
    stats: row.stats ?? null,
    params: row.params ?? null,
    error: row.error ?? null,
    createdAt: row.createdAt.toISOString(),
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

export function toConversationDto(row: ConversationRow, messages: MessageRow[], answering = false): ConversationDto {
  return {
    ...toSummaryDto({ ...row, messageCount: messages.length }, undefined, answering),
    params: row.params,
    messages: messages.map(toMessageDto),
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
  };
}
