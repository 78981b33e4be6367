import { z } from "zod";
import { attachmentListSchema } from "./attachments";
import { generationParamsSchema } from "./params";

export const MAX_MESSAGE_CHARS = 32_000;

export const chatModeSchema = z.enum(["send", "regenerate", "edit", "continue", "replay", "compare", "branch"]);
export type ChatMode = z.infer<typeof chatModeSchema>;

/** Body of `POST /api/chat` — a public contract (UI, tests and other clients rely on it). */
export const chatRequestSchema = z
  .object({
    conversationId: z.string().min(1, "conversationId must not be empty").max(64).optional(),
    /** The user's text: required for `send` and `edit`, ignored by `regenerate` and `continue`. */
    content: z
      .string({ error: "content must be a string" })
      .refine((s) => s.trim().length > 0, "content must not be empty")
      .refine((s) => s.length <= MAX_MESSAGE_CHARS, `content must be at most ${MAX_MESSAGE_CHARS} characters`)
      .optional(),
    params: generationParamsSchema.partial().optional(),
    /**
     * `send` / `edit`: files attached to the question (their text, as `POST /api/attachments` read it),
     * stored with it and put in the prompt before it. An `edit` without them keeps the edited question's files.
     */
    attachments: attachmentListSchema.optional(),
    /**
     * `send` appends a question to the active branch (default); `regenerate` writes a new version of
     * an answer; `edit` writes a new version of a question (a new branch from there) and answers it;
     * `continue` extends an answer in place; `compare` appends a question like `send` and answers it
     * twice, once per `variants` entry (two versions of the answer); `replay` writes a new version of the answer `messageId`
     * with exactly its stored settings and seed (no `params`), and its `done` event says whether the
     * text came out identical; `branch` writes a new version of an answer from one of its
     * token alternatives (see `tokenIndex`). Older versions stay reachable (see `messageId`).
     */
    mode: chatModeSchema.default("send"),
    /**
     * The message the mode acts on: the answer to regenerate (or the question to answer again), the
     * question to edit, the answer to continue. Default: the last answer / question of the active branch.
     */
    messageId: z.string().min(1, "messageId must not be empty").max(64).optional(),
    /**
     * `compare` only: the two settings to answer the question with, side by side. Each is laid over
     * `params` (and the conversation's settings); both answers are versions of the one question.
     */
    variants: z
      .array(generationParamsSchema.partial(), { error: "variants must be a list of two settings" })
      .length(2, "variants must hold exactly two settings")
      .optional(),
    /**
     * `branch`: a new version of the answer `messageId` that keeps its first `tokenIndex` tokens (as token
     * ids, never re-tokenized), puts the alternative `tokenId` at position `tokenIndex`, and goes on from there.
     */
    tokenIndex: z.number({ error: "tokenIndex must be a number" }).int("tokenIndex must be an integer").min(0, "tokenIndex must be at least 0").max(1_000_000).optional(),
    tokenId: z.number({ error: "tokenId must be a number" }).int("tokenId must be an integer").min(0, "tokenId must be at least 0").max(10_000_000).optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.mode === "send" || value.mode === "edit" || value.mode === "compare") && value.content === undefined) {
      ctx.addIssue({ code: "custom", path: ["content"], message: "content must be a string" });
    }
    if (value.attachments !== undefined && value.mode !== "send" && value.mode !== "edit") {
      ctx.addIssue({ code: "custom", path: ["attachments"], message: `attachments are only for mode "send" and "edit"` });
    }
    if (value.mode === "compare" && value.variants === undefined) {
      ctx.addIssue({ code: "custom", path: ["variants"], message: "variants is required for mode \"compare\": two settings to answer with" });
    }
    if (value.mode !== "compare" && value.variants !== undefined) {
      ctx.addIssue({ code: "custom", path: ["variants"], message: "variants is only for mode \"compare\"" });
    }
    if (value.mode === "replay") {
      if (value.messageId === undefined) ctx.addIssue({ code: "custom", path: ["messageId"], message: "messageId is required for mode \"replay\"" });
      // A replay's settings are the answer's own: other ones would make it a regenerate.
      if (value.params !== undefined) ctx.addIssue({ code: "custom", path: ["params"], message: "params must not be given for mode \"replay\": it reuses the answer's settings and seed" });
    }
    if (value.mode === "branch") {
      for (const field of ["messageId", "tokenIndex", "tokenId"] as const) {
        if (value[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: `${field} is required for mode "branch"` });
      }
    }
  });

export type ChatRequest = z.input<typeof chatRequestSchema>;
export type ParsedChatRequest = z.output<typeof chatRequestSchema>;
