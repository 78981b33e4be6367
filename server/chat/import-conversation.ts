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
import { TimeSlices } from "./time-slices";

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

/**
 * Token ids of an import are checked against the loaded model's vocabulary; with no model loaded, against
 * the largest vocabulary of common models (262,144), and the engine checks them again before any use.
 */
export const ANY_VOCABULARY = 262_144;

export interface ImportOptions {
  /** The loaded model's vocabulary size, when one is loaded. */
  vocabSize?: number;
  /** Gives the event loop a turn between pieces of work; a bundle shares one across its conversations. */
  slices?: TimeSlices;
}

/**
 * Every answer's token records, decoded and checked (bounds, ids) before anything is stored, by message key;
 * attached files are checked to be on questions only.
 */
async function checkedTokens(messages: readonly ImportedMessage[], field: string, vocabSize: number, slices: TimeSlices): Promise<Map<string, Buffer>> {
  const checked = new Map<string, Buffer>();
  for (const [i, { key, message }] of messages.entries()) {
    if ("attachments" in message && message.attachments?.length && message.role !== "user") {
      const at = `${field}messages[${i}].attachments`;
      throw new ChatError("invalid", `${at}: only questions have attached files`, at);
    }
    if (!("tokens" in message) || message.tokens === undefined) continue;
    const here = `${field}messages[${i}].tokens`;
    if (message.role !== "assistant") throw new ChatError("invalid", `${here}: only answers have token records`, here);
    await slices.breathe();
    checked.set(key, importedTokens(message.tokens, here, vocabSize));
  }
  return checked;
}

export async function importConversation(db: Store, args: { data: ConversationExport } & ImportOptions): Promise<ConversationDto> {
  const slices = args.slices ?? new TimeSlices();
  return writeConversation(db, await checkedConversation(args.data, "", args.vocabSize, slices), slices);
}

interface CheckedConversation {
  data: ConversationExport;
  messages: ImportedMessage[];
  activeKey: string | null;
  tokens: Map<string, Buffer>;
}

async function checkedConversation(data: ConversationExport, field: string, vocabSize: number | undefined, slices: TimeSlices): Promise<CheckedConversation> {
  const { messages, activeKey } = messagesOf(data);
  return { data, messages, activeKey, tokens: await checkedTokens(messages, field, vocabSize ?? ANY_VOCABULARY, slices) };
}

/** One transaction. */
async function writeConversation(db: Store, { data, messages, activeKey, tokens }: CheckedConversation, slices: TimeSlices): Promise<ConversationDto> {
  const now = new Date();
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
    for (let start = 0; start < messages.length; start += INSERT_SLICE) {
      await slices.breathe();
      await tx.messages.insertMessages({
        messages: messages.slice(start, start + INSERT_SLICE).map(({ key, parentKey, message: m, params }) => ({
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
    }
    for (const [key, data] of tokens) {
      await slices.breathe();
      await tx.messageTokens.saveMessageTokens({ messageId: newIds.get(key)!, data });
    }
    await tx.conversations.setActiveLeaf({ id, leafId: activeKey === null ? null : newIds.get(activeKey)! });
    return await getConversation(tx, { id });
  });
}

/** How long a bundle's writes run in one transaction before it is committed. */
const GROUP_MS = 5;

/** Messages inserted between two chances for the event loop to run. */
const INSERT_SLICE = 50;

/**
 * All or nothing: a bundle with one bad conversation imports none. Returns them in the bundle's order.
 * Thousands of conversations are worked through in slices that give the event loop a turn (the bundle's
 * size is capped by its schema: lib/schemas/conversations.ts). Everything is checked before anything is
 * written; then conversations are written a group at a time (a few milliseconds of work per transaction),
 * and should one fail, the groups already committed are deleted again. One transaction for the whole
 * bundle ended in a single COMMIT that held the event loop for ~0.15 s at 12,000 messages (their search
 * index is written at commit); one per conversation made 3,000 commits of 5–30 ms. A crash in the middle of
 * an import can leave its first groups.
 */
export async function importBundle(db: Store, args: { data: ConversationsBundle; vocabSize?: number }): Promise<ConversationDto[]> {
  const slices = new TimeSlices();
  const checked: CheckedConversation[] = [];
  for (const [i, data] of args.data.conversations.entries()) {
    await slices.breathe();
    checked.push(await checkedConversation(data, `conversations[${i}].`, args.vocabSize, slices));
  }
  const imported: ConversationDto[] = [];
  try {
    for (let next = 0; next < checked.length; ) {
      await slices.breathe();
      const started = performance.now();
      const group = await db.transaction(async (tx) => {
        const written: ConversationDto[] = [];
        do written.push(await writeConversation(tx, checked[next++]!, slices));
        while (next < checked.length && performance.now() - started < GROUP_MS);
        return written;
      });
      imported.push(...group);
    }
  } catch (error) {
    for (const { id } of imported) await db.conversations.deleteConversation({ id });
    throw error;
  }
  return imported;
}
