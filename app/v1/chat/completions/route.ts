import { getModelHost } from "@/server/host/model-host";
import { handleChatCompletions } from "@/server/openai/chat-completions";
import { errorResponse } from "@/server/openai/errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** OpenAI-compatible `POST /v1/chat/completions`, served by the same engine queue as the chat UI. */
export async function POST(request: Request): Promise<Response> {
  try {
    return await handleChatCompletions(request, getModelHost(), process.env.BITNET_API_KEY);
  } catch (error) {
    // The handler answers its own errors; this only catches a host that cannot even be created.
    return errorResponse(error);
  }
}
