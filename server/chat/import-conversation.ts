/**
 * Imports a JSON export as a new conversation (new ids), in one transaction: the tree format
 * (every version, `@2`) or the older linear one (`@1`, one branch).
 */
import { MAX_TITLE_CHARS, type ConversationDto, type ConversationExport, type ConversationsBundle } from "@/lib/schemas/conversations";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import type { Store } from "@/server/db/store";
import { getConversation } from "./conversations";
import { newId } from "./ids";
import { importedTokens } from "./message-tokens";
import { ChatError } from "./chat-error";
import { storedAttachments } from "./stored-attachments";

/**
 * Export files are user-editable: an unreadable date falls back instead of failing the import, and a date
 * in the future is clamped to now (a conversation "updated in 9999" would sit on top of the list forever).
 */
function toDate(value: string, fallback: Date, now: Date): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return fallback;
  return date.getTime() > now.getTime() ? now : date;
}

interface ImportedMessage {
  /** The id in the file (the linear format has none: its position). */
  key: string;
  parentKey: string | null;
  message: ConversationExport["messages"][number];
  params: Partial<typeof DEFAULT_GENERATION_PARAMS> | null;
}

/** Both formats as one list, parents first (the schema checks that a tree file lists parents first). */
function messagesOf(data: ConversationExport): { messages: ImportedMessage[]; activeKey: string | null } {
  if (data.format === "bitnet-chat/conversation@1") {
    const messages = data.messages.map((message, i) => ({ key: String(i), parentKey: i > 0 ? String(i - 1) : null, message, params: null }));
    return { messages, activeKey: messages.at(-1)?.key ?? null };
  }
  const messages = data.messages.map((message) => ({ key: message.id, parentKey: message.parentId, message, params: message.params }));
  return { messages, activeKey: data.activeLeafId ?? messages.at(-1)?.key ?? null };
}

const IMPORTED_MARK = " (imported)";

/** A copy of a conversation that is still here (same title, same creation time) is told apart by its title. */
async function importedTitle(db: Store, title: string, createdAt: Date): Promise<string> {
  const copyOf = await db.conversations.findConversationByTitleAndCreation({ title, createdAt });
  return copyOf && !title.endsWith(IMPORTED_MARK) ? `${title.slice(0, MAX_TITLE_CHARS - IMPORTED_MARK.length)}${IMPORTED_MARK}` : title;
}

export async function importConversation(db: Store, args: { data: ConversationExport }): Promise<ConversationDto> {
  const { data } = args;
  const now = new Date();
  const { messages, activeKey } = messagesOf(data);
  return db.transaction(async (tx) => {
    const id = newId();
    const createdAt = toDate(data.createdAt, now, now);
    await tx.conversations.createConversation({
      id,
      title: await importedTitle(tx, data.title.trim() || "Imported chat", createdAt),
      params: { ...DEFAULT_GENERATION_PARAMS, ...data.params },
      createdAt,
      updatedAt: toDate(data.updatedAt, createdAt, now),
    });
    const newIds = new Map(messages.map((m) => [m.key, newId()]));
    await tx.messages.insertMessages({
      messages: messages.map(({ key, parentKey, message: m, params }) => ({
        id: newIds.get(key)!,
        conversationId: id,
        parentId: parentKey === null ? null : newIds.get(parentKey)!,
        role: m.role,
        content: m.content,
        status: m.status,
        stats: m.stats,
        params: params ? { ...DEFAULT_GENERATION_PARAMS, ...params } : null,
        attachments: "attachments" in m && m.attachments?.length ? storedAttachments(m.attachments) : null,
        createdAt: toDate(m.createdAt, createdAt, now),
      })),
    });
    for (const [i, { key, message }] of messages.entries()) {
      if ("attachments" in message && message.attachments?.length && message.role !== "user") {
        throw new ChatError("invalid", `messages[${i}].attachments: only questions have attached files`, `messages[${i}].attachments`);
      }
      if ("tokens" in message && message.tokens !== undefined) {
        if (message.role !== "assistant") throw new ChatError("invalid", `messages[${i}].tokens: only answers have token records`, `messages[${i}].tokens`);
        await tx.messageTokens.saveMessageTokens({ messageId: newIds.get(key)!, data: importedTokens(message.tokens, `messages[${i}].tokens`) });
      }
    }
    await tx.conversations.setActiveLeaf({ id, leafId: activeKey === null ? null : newIds.get(activeKey)! });
    return await getConversation(tx, { id });
  });
}

/** All or nothing: a bundle with one bad conversation imports none. Returns them in the bundle's order. */
export async function importBundle(db: Store, args: { data: ConversationsBundle }): Promise<ConversationDto[]> {
  return db.transaction(async (tx) => {
    const imported: ConversationDto[] = [];
    for (const data of args.data.conversations) imported.push(await importConversation(tx, { data }));
    return imported;
  });
}
