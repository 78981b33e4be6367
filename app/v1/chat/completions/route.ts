import { getModelHost } from "@/server/host/model-host";
import { handleChatCompletions } from "@/server/openai/chat-completions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** OpenAI-compatible `POST /v1/chat/completions`, served by the same engine queue as the chat UI. */
export function POST(request: Request): Promise<Response> {
  return handleChatCompletions(request, getModelHost(), process.env.BITNET_API_KEY);
}
