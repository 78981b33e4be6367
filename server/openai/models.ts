/** `GET /v1/models` and `GET /v1/models/{id}`: the one model this server serves. */
import type { Model } from "openai/resources/models";
import type { ModelHost } from "@/server/host/model-host-types";
import { DEFAULT_REPO } from "@/server/hub/hub-config";
import { checkApiKey } from "./auth";
import { errorResponse, OpenAIApiError } from "./errors";

/**
 * OpenAI's `created` is when the model became available; ours becomes available when this server
 * process starts serving it, so that is the time reported.
 */
const SERVED_SINCE = Math.floor(Date.now() / 1000);

/** The hub organisation for hub ids (`microsoft/...`); "local" for the demo and local folders. */
export function ownerOf(modelId: string): string {
  const slash = modelId.indexOf("/");
  return slash > 0 && !modelId.startsWith(".") && !modelId.startsWith("/") ? modelId.slice(0, slash) : "local";
}

/**
 * The names a chat completion may ask for, as llama.cpp's server answers to more than one: the model
 * served, the configured one the demo stands in for, and the default hub id the README's examples use —
 * so those examples work as written on the offline demo too. The reply's `model` says which one answered.
 */
export function acceptedModelIds(status: { modelId: string; realModel?: string | null }): string[] {
  return [...new Set([status.modelId, status.realModel, DEFAULT_REPO].filter((id): id is string => Boolean(id)))];
}

export function describeModel(host: ModelHost): Model {
  const { modelId } = host.status();
  return { id: modelId, object: "model", created: SERVED_SINCE, owned_by: ownerOf(modelId) };
}

export async function handleListModels(request: Request, host: ModelHost, apiKey?: string): Promise<Response> {
  try {
    await checkApiKey(request.headers, apiKey);
    return Response.json({ object: "list", data: [describeModel(host)] });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function handleRetrieveModel(request: Request, host: ModelHost, id: string, apiKey?: string): Promise<Response> {
  try {
    await checkApiKey(request.headers, apiKey);
    const model = describeModel(host);
    if (id !== model.id) {
      throw new OpenAIApiError(404, "invalid_request_error", `The model '${id}' does not exist.`, "model", "model_not_found");
    }
    return Response.json(model);
  } catch (error) {
    return errorResponse(error);
  }
}
