import { getModelHost } from "@/server/host/model-host";
import { errorResponse } from "@/server/openai/errors";
import { handleRetrieveModel } from "@/server/openai/models";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** OpenAI-compatible `GET /v1/models/{id}`; a catch-all because hub ids contain a slash. */
export async function GET(request: Request, context: { params: Promise<{ model: string[] }> }): Promise<Response> {
  try {
    const { model } = await context.params;
    return await handleRetrieveModel(request, getModelHost(), model.join("/"), process.env.BITNET_API_KEY);
  } catch (error) {
    return errorResponse(error);
  }
}
