/**
 * A conversation as a downloadable file: Markdown to read (the branch shown), JSON to import again
 * (the whole tree, conversationExportSchema).
 */
import type { ConversationDto, MessageDto } from "@/lib/schemas/conversations";
import type { ConversationsBundle, TreeConversationExport } from "@/lib/schemas/conversations";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import type { MessageRow } from "@/server/db/schema";
import type { Store } from "@/server/db/store";
import { getConversation, listConversations } from "./conversations";
import { buildMessageTree } from "./message-tree";
import { exportedTokens } from "./message-tokens";
import { toMessageDto } from "./to-dto";

export interface ExportFile {
  filename: string;
  contentType: string;
  body: string;
}

const ROLE_HEADINGS: Record<MessageDto["role"], string> = { system: "System", user: "User", assistant: "Assistant" };

/** ASCII letters, digits and dashes only: safe in Content-Disposition and on every file system. */
export function safeFilename(title: string, extension: string): string {
  const base = title
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .replace(/[\s_-]+/g, "-")
    .toLowerCase()
    .slice(0, 60)
    .replace(/-+$/g, "");
  return `${base || "conversation"}.${extension}`;
}

function caption(message: MessageDto): string | null {
  const parts: string[] = [];
  if (message.status !== "complete") parts.push(message.status);
  const s = message.stats;
  if (s) parts.push(`${(s.totalMs / 1000).toFixed(1)} s`, `${s.completionTokens} tokens`, `${s.decodeTokPerS.toFixed(1)} tok/s`);
  if (message.error) parts.push(`error: ${message.error}`);
  return parts.length ? `_${parts.join(" · ")}_` : null;
}

export function toMarkdown(conversation: ConversationDto): string {
  const lines = [`# ${conversation.title}`, "", `_Exported from BitNet Chat · created ${conversation.createdAt} · updated ${conversation.updatedAt}_`, ""];
  const system = conversation.params.systemPrompt.trim();
  if (system && system !== DEFAULT_GENERATION_PARAMS.systemPrompt) {
    lines.push("## System prompt", "", system, "");
  }
  for (const message of conversation.messages) {
    lines.push(`## ${ROLE_HEADINGS[message.role]}`, "");
    if (message.attachments?.length) lines.push(...message.attachments.map((f) => `📎 ${f.name} (${f.tokens} tokens)`), "");
    lines.push(message.content, "");
    const line = caption(message);
    if (line) lines.push(line, "");
  }
  return lines.join("\n");
}

/** The whole tree (every version of every turn), parents first; `activeLeafId` names the branch shown. */
export function toJsonExport(conversation: ConversationDto, allMessages: readonly MessageRow[], tokens: ReadonlyMap<string, string> = new Map()): TreeConversationExport {
  const ordered = buildMessageTree(allMessages).topological();
  return {
    format: "bitnet-chat/conversation@2",
    title: conversation.title,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    params: conversation.params,
    activeLeafId: conversation.activeLeafId,
    messages: ordered.map((row) => {
      const m = toMessageDto(row);
      const recorded = tokens.get(m.id);
      // A question's files go with their text (an import stores them again and re-counts their tokens).
      const files = row.attachments?.length ? { attachments: row.attachments.map(({ name, mediaType, text }) => ({ name, mediaType, text })) } : {};
      return { id: m.id, parentId: m.parentId, role: m.role, content: m.content, status: m.status, stats: m.stats, params: m.params, createdAt: m.createdAt, ...(recorded ? { tokens: recorded } : {}), ...files };
    }),
  };
}

async function jsonExportOf(db: Store, conversation: ConversationDto): Promise<TreeConversationExport> {
  const rows = await db.messages.listMessages({ conversationId: conversation.id });
  return toJsonExport(conversation, rows, await exportedTokens(db, rows.filter((r) => r.role === "assistant").map((r) => r.id)));
}

export async function exportConversation(db: Store, args: { id: string; format: "md" | "json" }): Promise<ExportFile> {
  const conversation = await getConversation(db, { id: args.id });
  if (args.format === "md") {
    return { filename: safeFilename(conversation.title, "md"), contentType: "text/markdown; charset=utf-8", body: toMarkdown(conversation) };
  }
  return {
    filename: safeFilename(conversation.title, "json"),
    contentType: "application/json; charset=utf-8",
    body: `${JSON.stringify(await jsonExportOf(db, conversation), null, 2)}\n`,
  };
}

/** Every conversation (newest first) in one JSON file that import accepts. */
export async function exportAllConversations(db: Store, now = new Date()): Promise<ExportFile> {
  const conversations: TreeConversationExport[] = [];
  for (const c of await listConversations(db, { limit: Number.MAX_SAFE_INTEGER })) {
    conversations.push(await jsonExportOf(db, await getConversation(db, { id: c.id })));
  }
  const bundle: ConversationsBundle = { format: "bitnet-chat/conversations@1", exportedAt: now.toISOString(), conversations };
  return {
    filename: `bitnet-chat-${now.toISOString().slice(0, 10)}.json`,
    contentType: "application/json; charset=utf-8",
    body: `${JSON.stringify(bundle, null, 2)}\n`,
  };
}
