/** A conversation as a downloadable file: Markdown to read, JSON (conversationExportSchema) to import again. */
import type { ConversationDto, MessageDto } from "@/lib/schemas/conversations";
import type { ConversationExport } from "@/lib/schemas/conversations";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import type { Db } from "@/server/db/types";
import { getConversation } from "./conversations";

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
    lines.push(`## ${ROLE_HEADINGS[message.role]}`, "", message.content, "");
    const line = caption(message);
    if (line) lines.push(line, "");
  }
  return lines.join("\n");
}

export function toJsonExport(conversation: ConversationDto): ConversationExport {
  return {
    format: "bitnet-chat/conversation@1",
    title: conversation.title,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    params: conversation.params,
    messages: conversation.messages.map((m) => ({ role: m.role, content: m.content, status: m.status, stats: m.stats, createdAt: m.createdAt })),
  };
}

export function exportConversation(db: Db, args: { id: string; format: "md" | "json" }): ExportFile {
  const conversation = getConversation(db, { id: args.id });
  if (args.format === "md") {
    return { filename: safeFilename(conversation.title, "md"), contentType: "text/markdown; charset=utf-8", body: toMarkdown(conversation) };
  }
  return {
    filename: safeFilename(conversation.title, "json"),
    contentType: "application/json; charset=utf-8",
    body: `${JSON.stringify(toJsonExport(conversation), null, 2)}\n`,
  };
}
