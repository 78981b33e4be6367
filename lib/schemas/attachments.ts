/**
 * Files attached to a question (text, Markdown, code, CSV/JSON, PDF): their text goes into the prompt as a
 * delimited block before the question. Every bound here is part of the API contract (docs/chat-api.md).
 */
import { z } from "zod";
import { ATTACHMENT_LIMITS } from "@/lib/attachments";

const name = z
  .string({ error: "name must be a string" })
  .trim()
  .min(1, "name must not be empty")
  .max(ATTACHMENT_LIMITS.name, `name must be at most ${ATTACHMENT_LIMITS.name} characters`);
const mediaType = z.string({ error: "mediaType must be a string" }).max(100, "mediaType must be at most 100 characters");
const text = z.string({ error: "text must be a string" }).max(ATTACHMENT_LIMITS.chars, `text must be at most ${ATTACHMENT_LIMITS.chars} characters`);

/** A file as a request sends it (`POST /api/chat` `attachments`, an export's message): its name, type and text. */
export const attachmentInputSchema = z.object({ name, mediaType, text });
export type AttachmentInput = z.infer<typeof attachmentInputSchema>;

/** The list of a message's files, with the bounds on their number and their text together. */
export const attachmentListSchema = z
  .array(attachmentInputSchema, { error: "attachments must be a list of files" })
  .max(ATTACHMENT_LIMITS.files, `attachments must hold at most ${ATTACHMENT_LIMITS.files} files`)
  .refine(
    (files) => files.reduce((n, f) => n + f.text.length, 0) <= ATTACHMENT_LIMITS.chars,
    `attachments must hold at most ${ATTACHMENT_LIMITS.chars} characters of text together`,
  );

/** A stored file as a conversation shows it (its chip): no text, which only the prompt and exports need. */
export const attachmentSchema = z.object({
  name: z.string(),
  mediaType: z.string(),
  /** Characters of its text. */
  chars: z.number().int(),
  /** Tokens its block takes in the prompt (delimiters included). */
  tokens: z.number().int(),
});
export type AttachmentDto = z.infer<typeof attachmentSchema>;

/** A file as stored with its question (and exported): its text and its chip's figures. */
export type StoredAttachment = AttachmentInput & Pick<AttachmentDto, "chars" | "tokens">;

/** `POST /api/attachments`: the file's text, read on the server, and what its chip shows. */
export const extractedAttachmentSchema = attachmentSchema.extend({
  text: z.string(),
  /** A PDF's page count; absent for text files. */
  pages: z.number().int().optional(),
});
export type ExtractedAttachment = z.infer<typeof extractedAttachmentSchema>;
