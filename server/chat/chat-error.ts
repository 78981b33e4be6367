/**
 * What the chat use cases refuse, in their own terms; server/http/json-response.ts decides the
 * HTTP status. `field` names the request field at fault, when there is one.
 */
export type ChatErrorKind =
  | "not_found" // the conversation (or message) does not exist
  | "invalid" // the request contradicts itself (e.g. regenerate without a conversation)
  | "conflict" // the request does not fit the conversation's current state
  | "answering"; // the conversation's answer is still running or queued: stop it first

export class ChatError extends Error {
  constructor(
    readonly kind: ChatErrorKind,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ChatError";
  }
}

export const conversationNotFound = (field: string) => new ChatError("not_found", "Conversation not found", field);
