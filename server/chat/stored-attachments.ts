/** A question's files as stored: what the request sent, with the figures its chip shows counted here (never trusted from a client). */
import { attachmentBlock } from "@/lib/attachments";
import type { AttachmentInput, StoredAttachment } from "@/lib/schemas/attachments";
import { countTokens } from "@/server/files/count-tokens";

export function storedAttachments(files: readonly AttachmentInput[]): StoredAttachment[] {
  return files.map((file) => ({ ...file, chars: file.text.length, tokens: countTokens(attachmentBlock(file)) }));
}
