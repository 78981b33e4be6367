/** Imports a JSON export as a new conversation (new ids), in one transaction. */
import type { ConversationDto, ConversationExport } from "@/lib/schemas/conversations";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import * as conversationsRepo from "@/server/db/conversations-repo";
import * as messagesRepo from "@/server/db/messages-repo";
import type { Db } from "@/server/db/types";
import { getConversation } from "./conversations";
import { newId } from "./ids";

/** Export files are user-editable: an unreadable date falls back instead of failing the import. */
function toDate(value: string, fallback: Date): Date {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? fallback : date;
}

export function importConversation(db: Db, args: { data: ConversationExport }): ConversationDto {
  const { data } = args;
  const now = new Date();
  return db.transaction((tx) => {
    const id = newId();
    const createdAt = toDate(data.createdAt, now);
    conversationsRepo.createConversation(tx, {
      id,
      title: data.title.trim() || "Imported chat",
      params: { ...DEFAULT_GENERATION_PARAMS, ...data.params },
      createdAt,
      updatedAt: toDate(data.updatedAt, createdAt),
    });
    messagesRepo.insertMessages(tx, {
      messages: data.messages.map((m) => ({
        id: newId(),
        conversationId: id,
        role: m.role,
        content: m.content,
        status: m.status,
        stats: m.stats,
        createdAt: toDate(m.createdAt, createdAt),
      })),
    });
    return getConversation(tx, { id });
  });
}
