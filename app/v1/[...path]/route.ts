import { checkApiKey } from "@/server/openai/auth";
import { errorResponse, OpenAIApiError } from "@/server/openai/errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Any other `/v1/...` URL: an OpenAI-shaped 404 (as OpenAI answers "Invalid URL"), so clients show a
 * readable error instead of failing to parse an HTML page.
 */
async function notFound(request: Request): Promise<Response> {
  try {
    await checkApiKey(request.headers);
    const { pathname } = new URL(request.url);
    const message = `Invalid URL (${request.method} ${pathname}). This server serves GET /v1/models and POST /v1/chat/completions.`;
    return errorResponse(new OpenAIApiError(404, "invalid_request_error", message));
  } catch (error) {
    return errorResponse(error);
  }
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
