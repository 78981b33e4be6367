import { notFound } from "@/lib/api/request-error";

/** Ids are UUIDs today; anything absurd is simply a conversation that does not exist. */
export async function conversationIdFrom(params: Promise<{ id: string }>): Promise<string> {
  const { id } = await params;
  if (typeof id !== "string" || id.length === 0 || id.length > 64) throw notFound("Conversation", "id");
  return id;
}
