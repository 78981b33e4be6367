import { getModelHost } from "@/server/host/model-host";
import { errorResponse } from "@/server/openai/errors";
import { handleListModels } from "@/server/openai/models";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** OpenAI-compatible `GET /v1/models`. */
export async function GET(request: Request): Promise<Response> {
  try {
    return await handleListModels(request, getModelHost(), process.env.BITNET_API_KEY);
  } catch (error) {
    return errorResponse(error);
  }
}
