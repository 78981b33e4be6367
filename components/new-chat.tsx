"use client";
import { useApp } from "./app-context";
import { ChatView } from "./chat-view";

/**
 * `/` — a fresh conversation. Keyed by the "new chat" counter: after the first answer the URL becomes
 * `/c/<id>` without a navigation, so "New chat" must reset this view explicitly.
 */
export function NewChat() {
  const { newChatNonce } = useApp();
  return <ChatView key={newChatNonce} conversationId={null} />;
}
