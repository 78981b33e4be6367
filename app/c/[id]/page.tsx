import type { Metadata } from "next";
import { ChatView } from "@/components/chat-view";

export const metadata: Metadata = { title: "BitNet Chat" };

/** `/c/<id>`: a shareable, reloadable address; the conversation itself is fetched by the client. */
export default async function ConversationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ChatView key={id} conversationId={id} />;
}
