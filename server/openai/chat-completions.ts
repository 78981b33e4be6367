/**
 * server/openai/ — the OpenAI-compatible `/v1` API over the same engine; stores nothing.
 *
 * `POST /v1/chat/completions`, independent of Next so it can be tested with a fake host: the same
 * loaded model and the same engine queue as the chat UI, and nothing is stored.
 */
import { chatCompletionRequestSchema } from "@/lib/schemas/openai";
import type { ModelHost } from "@/server/host/model-host-types";
import { apiCallerCacheKey } from "./api-caller";
import { checkApiKey } from "./auth";
import { newCompletionMeta } from "./chat-objects";
import { collectCompletion } from "./complete";
import { SSE_HEADERS } from "@/lib/sse/encode";
import { readJsonBody } from "@/server/http/read-json";
import { chunkStream } from "./chunk-stream";
import { errorResponse, fromZodError, OpenAIApiError } from "./errors";
import { startGeneration, type StartedGeneration } from "./start-generation";
import { RequestError } from "@/lib/api/request-error";
import { fairShare } from "@/server/http/fair-share";
import { toGenerateRequest } from "./to-generate-request";
import { acceptedModelIds } from "./models";

/**
 * OpenAI's own limit is far larger, but this model's whole context is 4,096 tokens (about 16k characters):
 * 1 MB leaves room for long histories that get trimmed, and refuses absurd bodies before they are buffered.
 */
export const MAX_V1_BODY_BYTES = 1_000_000;

/** A place in the account's fair share, or a 429 in OpenAI's shape. */
function takeShare(owner: string): () => void {
  try {
    return fairShare().take(owner);
  } catch (error) {
    if (error instanceof RequestError) throw new OpenAIApiError(429, "rate_limit_error", error.message, null, "too_many_answers");
    throw error;
  }
}

/** The same generation, calling `release` once its last event (`done`) is read, it fails or is closed early. */
function releasingAtEnd(started: StartedGeneration, release: () => void): StartedGeneration {
  const inner = started.events;
  const events: StartedGeneration["events"] = {
    next: async () => {
      try {
        const result = await inner.next();
        if (result.done || result.value.type === "done") release();
        return result;
      } catch (error) {
        release();
        throw error;
      }
    },
    return: async (value?: unknown) => {
      release();
      return inner.return ? inner.return(value as never) : { done: true, value: value as never };
    },
  };
  return { ...started, events };
}

export async function handleChatCompletions(request: Request, host: ModelHost, apiKey?: string): Promise<Response> {
  // Linked to the client connection: a disconnect aborts the job, whether it is queued or decoding.
  const abort = new AbortController();
  const onClientGone = () => abort.abort();
  request.signal.addEventListener("abort", onClientGone, { once: true });
  try {
    const account = await checkApiKey(request.headers, apiKey);
    const parsed = chatCompletionRequestSchema.safeParse(await readJsonBody(request, { maxBytes: MAX_V1_BODY_BYTES }));
    if (!parsed.success) throw fromZodError(parsed.error);
    const body = parsed.data;

    const status = host.status();
    const servedModel = status.modelId;
    const accepted = acceptedModelIds(status);
    if (!accepted.includes(body.model)) {
      throw new OpenAIApiError(
        404,
        "invalid_request_error",
        `The model '${body.model}' does not exist. This server serves '${servedModel}' (see GET /v1/models) and also answers to ${accepted.filter((id) => id !== servedModel).map((id) => `'${id}'`).join(", ")}.`,
        "model",
        "model_not_found",
      );
    }

    const engine = host.engine();
    const generateRequest = { ...toGenerateRequest(body, engine.contextLength), cacheKey: apiCallerCacheKey(request.headers, body.user) };
    // With accounts, the answer counts against its account's fair share (server/http/fair-share.ts) until it ends.
    const release = account ? takeShare(account.id) : () => undefined;
    abort.signal.addEventListener("abort", release, { once: true });
    let generation: StartedGeneration;
    try {
      generation = releasingAtEnd(await startGeneration(engine, generateRequest, abort.signal), release);
    } catch (error) {
      release();
      throw error;
    }
    const meta = newCompletionMeta(servedModel);

    if (body.stream === true) {
      const stream = chunkStream(generation, { meta, includeUsage: body.stream_options?.include_usage === true, logprobs: body.logprobs === true, abort });
      return new Response(stream, { headers: SSE_HEADERS });
    }
    const completion = await collectCompletion(generation, meta, body.logprobs === true);
    return Response.json(completion);
  } catch (error) {
    return errorResponse(error);
  }
}
