/**
 * Attached files, on both sides of the wire: their bounds (part of the API contract, docs/chat-api.md) and
 * the delimited block a file's text takes in the prompt, before the question.
 */
export const ATTACHMENT_LIMITS = {
  /** Files per message. */
  files: 5,
  /** Bytes of one uploaded file (`POST /api/attachments`). */
  bytes: 4_000_000,
  /** Pages of one PDF. */
  pages: 200,
  /** Characters of text extracted from one file, and of all the files of one message together. */
  chars: 100_000,
  /** Characters of a file name. */
  name: 200,
} as const;

/** The block a file's text takes in the prompt, before the question: clearly delimited, its name given. */
export function attachmentBlock(file: { name: string; text: string }): string {
  return `<file name="${file.name.replace(/["\n\r]/g, "_")}">\n${file.text}\n</file>`;
}

/** A question as the model reads it: each attached file's block, then the question. */
export function withAttachments(content: string, files: readonly { name: string; text: string }[] | null | undefined): string {
  if (!files || files.length === 0) return content;
  return `${files.map(attachmentBlock).join("\n\n")}\n\n${content}`;
}
