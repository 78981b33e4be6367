import { z } from "zod";
import { generationParamsSchema } from "./params";
import { generationStatsSchema } from "./stats";
import { exportedTokensSchema } from "./tokens";
import type { ReplayVerdict } from "./events";
import { attachmentListSchema, type AttachmentDto } from "./attachments";

export const messageRoleSchema = z.enum(["system", "user", "assistant"]);
export const messageStatusSchema = z.enum(["complete", "stopped", "error"]);
export type MessageRole = z.infer<typeof messageRoleSchema>;
export type MessageStatus = z.infer<typeof messageStatusSchema>;

/** Where a message stands among its versions (the children of its parent), for the `‹ 2/3 ›` switcher. */
export interface SiblingsDto {
  /** 0-based. */
  index: number;
  count: number;
  /** All versions' ids, oldest first (this message included). */
  ids: string[];
}

export interface MessageDto {
  id: string;
  conversationId: string;
  /** The message this one follows; null for the first. */
  parentId: string | null;
  siblings: SiblingsDto;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  /** Only for assistant messages that were generated. */
  stats: z.infer<typeof generationStatsSchema> | null;
  /** The settings the answer was generated with. */
  params: z.infer<typeof generationParamsSchema> | null;
  error: string | null;
  createdAt: string; // ISO 8601
  /** A replayed answer's comparison with the answer it re-ran (mode "replay"); absent otherwise. */
  replay?: ReplayVerdict;
  /** An answer (in a conversation's GET): whether it has token records, i.e. whether the token view can open it. */
  hasTokenRecords?: boolean;
  /** A question's attached files (their chips; the text is in exports only); absent when it has none. */
  attachments?: AttachmentDto[];
}

export interface ConversationSummaryDto {
  id: string;
  title: string;
  createdAt: string;
  /** The last message's time: renaming, settings and pinning do not change it. */
  updatedAt: string;
  /** Pinned conversations are listed first, in their own sidebar group. */
  pinned: boolean;
  messageCount: number;
  /** True while an answer of this conversation is being generated or waits for the model. */
  answering: boolean;
  /** Present for search results: the matching text with the match wrapped in «…». */
  snippet?: string;
}

export interface ConversationDto extends ConversationSummaryDto {
  params: z.infer<typeof generationParamsSchema>;
  /** The active branch, root first: what is shown and what the model sees. */
  messages: MessageDto[];
  /** The last message of the active branch (null when empty). */
  activeLeafId: string | null;
}

/** `POST /api/conversations/{id}/stop` when an answer was running: the answer as saved. */
export interface StopAnswerDto {
  messageId: string;
  /** "stopped" (or "complete"/"error" when it ended on its own first); null when the answer was rolled back (stopped while queued). */
  status: MessageStatus | null;
  /** A compare pair: both answers as saved (the fields above are the first one's). */
  answers?: { messageId: string; status: MessageStatus | null }[];
}

export const MAX_TITLE_CHARS = 200;

export const listConversationsQuerySchema = z.object({
  q: z.string().trim().max(200, "q must be at most 200 characters").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const createConversationSchema = z.object({
  title: z.string().trim().min(1, "title must not be empty").max(MAX_TITLE_CHARS).optional(),
  params: generationParamsSchema.partial().optional(),
});

export const updateConversationSchema = z
  .object({
    title: z.string().trim().min(1, "title must not be empty").max(MAX_TITLE_CHARS, `title must be at most ${MAX_TITLE_CHARS} characters`).optional(),
    params: generationParamsSchema.partial().optional(),
    pinned: z.boolean({ error: "pinned must be true or false" }).optional(),
    /**
     * Shows the branch through this message: the path from the root to it, continued down to the
     * newest message below it. Giving a version's id switches to that version.
     */
    activeMessageId: z.string().min(1, "activeMessageId must not be empty").max(64).optional(),
  })
  .refine((v) => v.title !== undefined || v.params !== undefined || v.pinned !== undefined || v.activeMessageId !== undefined, {
    message: "nothing to update: give title, params, pinned or activeMessageId",
  });

export const exportFormatSchema = z.object({ format: z.enum(["md", "json"], { error: "format must be md or json" }).default("json") });

const exportedMessageFields = {
  role: messageRoleSchema,
  content: z.string().max(200_000),
  status: messageStatusSchema.default("complete"),
  stats: generationStatsSchema.nullable().default(null),
  createdAt: z.string(),
};
const MAX_EXPORTED_MESSAGES = 10_000;

/** The first export format: the messages of one branch, in order (still accepted by import). */
export const linearConversationExportSchema = z.object({
  format: z.literal("bitnet-chat/conversation@1"),
  title: z.string().min(1).max(MAX_TITLE_CHARS),
  createdAt: z.string(),
  updatedAt: z.string(),
  params: generationParamsSchema.partial(),
  messages: z.array(z.object(exportedMessageFields)).max(MAX_EXPORTED_MESSAGES),
});

/**
 * The whole message tree: every version of every turn. Messages are listed parents first; `id`s
 * are only meaningful inside the file (import gives new ones).
 */
export const treeConversationExportSchema = z
  .object({
    format: z.literal("bitnet-chat/conversation@2"),
    title: z.string().min(1).max(MAX_TITLE_CHARS),
    createdAt: z.string(),
    updatedAt: z.string(),
    params: generationParamsSchema.partial(),
    /** The branch shown; default: the last message. */
    activeLeafId: z.string().max(64).nullable().default(null),
    messages: z
      .array(
        z.object({
          id: z.string().min(1).max(64),
          parentId: z.string().max(64).nullable().default(null),
          ...exportedMessageFields,
          params: generationParamsSchema.partial().nullable().default(null),
          /** An answer's token records (the token view), base64 of the stored blob; absent when none were recorded. */
          tokens: exportedTokensSchema.optional(),
          /** A question's files with their text (absent in exports written before files existed). */
          attachments: attachmentListSchema.optional(),
        }),
      )
      .max(MAX_EXPORTED_MESSAGES),
  })
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.messages.forEach((m, i) => {
      if (seen.has(m.id)) ctx.addIssue({ code: "custom", path: ["messages", i, "id"], message: `messages[${i}].id repeats an earlier id` });
      if (m.parentId !== null && !seen.has(m.parentId)) {
        ctx.addIssue({ code: "custom", path: ["messages", i, "parentId"], message: `messages[${i}].parentId must be the id of an earlier message` });
      }
      seen.add(m.id);
    });
    if (value.activeLeafId !== null && !seen.has(value.activeLeafId)) {
      ctx.addIssue({ code: "custom", path: ["activeLeafId"], message: "activeLeafId must be the id of one of the messages" });
    }
  });

/**
 * What `POST /api/conversations/import` accepts: the tree export of
 * `GET /api/conversations/[id]/export?format=json`, or the older linear one.
 */
export const conversationExportSchema = z.discriminatedUnion("format", [linearConversationExportSchema, treeConversationExportSchema], {
  error: 'format must be "bitnet-chat/conversation@2" or "bitnet-chat/conversation@1"',
});
export type ConversationExport = z.infer<typeof conversationExportSchema>;
export type LinearConversationExport = z.infer<typeof linearConversationExportSchema>;
export type TreeConversationExport = z.infer<typeof treeConversationExportSchema>;

/** What one bundle import may hold: its conversations, and their messages together (docs/security.md). */
export const MAX_BUNDLE_CONVERSATIONS = 10_000;
export const MAX_BUNDLE_MESSAGES = 100_000;

export const bundleMessagesMessage = (total: number) => `conversations hold ${total} messages together; a bundle may hold at most ${MAX_BUNDLE_MESSAGES}`;

/**
 * A bundle with its conversations not yet checked: the import route checks them one by one, giving the
 * event loop a turn in between (server/http/import-body.ts), instead of one ~0.5 s parse of 20 MB.
 */
export const bundleEnvelopeSchema = z.object({
  format: z.literal("bitnet-chat/conversations@1"),
  exportedAt: z.string(),
  conversations: z.array(z.unknown()).max(MAX_BUNDLE_CONVERSATIONS, `conversations must be at most ${MAX_BUNDLE_CONVERSATIONS}`),
});

/** Every conversation at once (`GET /api/conversations/export`); import accepts it as well as a single one. */
export const conversationsBundleSchema = bundleEnvelopeSchema
  .extend({ conversations: z.array(conversationExportSchema).max(MAX_BUNDLE_CONVERSATIONS, `conversations must be at most ${MAX_BUNDLE_CONVERSATIONS}`) })
  .superRefine((value, ctx) => {
    const total = value.conversations.reduce((sum, c) => sum + c.messages.length, 0);
    if (total > MAX_BUNDLE_MESSAGES) ctx.addIssue({ code: "custom", path: ["conversations"], message: bundleMessagesMessage(total) });
  });
export type ConversationsBundle = z.infer<typeof conversationsBundleSchema>;

/** What `POST /api/conversations/import` accepts: one conversation (either format) or a bundle, told apart by `format`. */
export const importBodySchema = z.discriminatedUnion("format", [linearConversationExportSchema, treeConversationExportSchema, conversationsBundleSchema], {
  error: 'format must be "bitnet-chat/conversation@2", "bitnet-chat/conversation@1" or "bitnet-chat/conversations@1" (a file saved with Export)',
});
