/**
 * The import body, checked in slices: a bundle's envelope first, then its conversations one at a time with a
 * turn for the event loop whenever 5 ms have gone by (a 20 MB bundle of 10,000 conversations took ~0.45 s
 * of zod in one go), its message count checked as it goes. A single conversation is one parse.
 */
import {
  bundleEnvelopeSchema,
  bundleMessagesMessage,
  conversationExportSchema,
  importBodySchema,
  MAX_BUNDLE_MESSAGES,
  type ConversationExport,
  type ConversationsBundle,
} from "@/lib/schemas/conversations";
import { RequestError } from "@/lib/api/request-error";
import { TimeSlices } from "@/server/chat/time-slices";
import { parseOrThrow } from "./zod-error";

const isBundle = (value: unknown) => typeof value === "object" && value !== null && (value as { format?: unknown }).format === "bitnet-chat/conversations@1";

export async function parseImportBody(value: unknown): Promise<ConversationExport | ConversationsBundle> {
  if (!isBundle(value)) return parseOrThrow(importBodySchema, value);
  const envelope = parseOrThrow(bundleEnvelopeSchema, value);
  const slices = new TimeSlices();
  const conversations: ConversationExport[] = [];
  let total = 0;
  for (const [i, item] of envelope.conversations.entries()) {
    await slices.breathe();
    const conversation = parseOrThrow(conversationExportSchema, item, `conversations.${i}`);
    total += conversation.messages.length;
    if (total > MAX_BUNDLE_MESSAGES) throw new RequestError(400, "invalid_request", bundleMessagesMessage(total), "conversations");
    conversations.push(conversation);
  }
  return { ...envelope, conversations };
}
