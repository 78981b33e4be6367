/**
 * Streaming completion: `data: {chat.completion.chunk}` server-sent events exactly as OpenAI sends them —
 * the role first, content deltas, an empty delta with `finish_reason`, the usage chunk (`choices: []`)
 * when asked for, then `data: [DONE]`. A failure after the start is reported in-stream the way OpenAI
 * does it (`data: {"error": {...}}`, which the official clients raise as an APIError).
 */
import { encodeSseData } from "@/lib/sse/encode";
import type { EngineEvent } from "@/server/engine/types";
import { ChunkBuilder, type CompletionMeta } from "./chat-objects";
import { OpenAIApiError } from "./errors";
import { toTokenLogprob } from "./logprobs";
import { stopGeneration, type DoneEvent, type StartedGeneration } from "./start-generation";

/** One OpenAI stream frame: a JSON object, or the literal `[DONE]`. */
export function sseData(payload: object | "[DONE]"): string {
  return encodeSseData(typeof payload === "string" ? payload : JSON.stringify(payload));
}

export interface ChunkStreamOptions {
  meta: CompletionMeta;
  includeUsage: boolean;
  /** `logprobs: true`: content chunks carry their tokens' entries. */
  logprobs?: boolean;
  /** Aborted when the client goes away (stream cancelled), which stops the engine job. */
  abort: AbortController;
}

/** The SSE lines for one engine event (empty when the event has nothing for the client). */
export function encodeEvent(event: EngineEvent, chunks: ChunkBuilder, includeUsage: boolean): string {
  switch (event.type) {
    case "token":
      if (event.record) chunks.queueLogprob(toTokenLogprob(event.record));
      // The detokenizer may hold back half a character; an empty delta would be noise (its entry waits).
      return event.text === "" ? "" : sseData(chunks.content(event.text));
    case "done": {
      if (event.error !== undefined || event.stats.stopReason === "error") {
        const error = new OpenAIApiError(500, "server_error", `Generation failed: ${event.error ?? "unknown error"}`, null, "generation_failed");
        return sseData(error.body());
      }
      // Entries of tokens that added no text (e.g. the end of a stop string) still reach the client.
      let out = chunks.hasPendingLogprobs ? sseData(chunks.content("")) : "";
      out += sseData(chunks.finish(event.stats));
      if (includeUsage) out += sseData(chunks.usage(event.stats));
      return out + sseData("[DONE]");
    }
    default:
      return "";
  }
}

export function chunkStream(generation: StartedGeneration, options: ChunkStreamOptions): ReadableStream<Uint8Array> {
  const { events } = generation;
  const chunks = new ChunkBuilder(options.meta, options.includeUsage, options.logprobs === true);
  const encoder = new TextEncoder();
  let closed = false;
  let emittedTokens = 0;
  // One reader at a time: `pull` and the abort clean-up may both want the next event.
  let reading: Promise<unknown> = Promise.resolve();
  let finalEvent: DoneEvent | null = null;
  const next = (): Promise<IteratorResult<EngineEvent>> => {
    const result = reading.then(async () => {
      const item = await events.next();
      if (!item.done && item.value.type === "done") finalEvent = item.value;
      return item;
    });
    reading = result.catch(() => undefined);
    return result;
  };

  const onClientGone = async () => {
    // The done event may have gone to a `pull` that was already waiting when the client left.
    const done = (await stopGeneration(events, options.abort, next)) ?? finalEvent;
    // Operators (and the e2e test) see that the job really ended, and where.
    console.info(
      `[v1] ${options.meta.id}: client disconnected after ${emittedTokens} streamed tokens; generation stopped (${done?.stats.stopReason ?? "already finished"})`,
    );
  };

  /**
   * Closes the stream and finishes the engine's iterator: the engine frees the model (its queue ticket) in
   * clean-up code that only runs once the iterator is finished, not when `done` is yielded.
   */
  const end = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    closed = true;
    controller.close();
    void reading.then(() => events.return?.()).catch(() => undefined);
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(sseData(chunks.role())));
      // Pull-based, so once the client stops reading nobody would ask the engine for the next event;
      // the clean-up reads on until the engine has stopped, which frees the queue.
      const onAbort = () => {
        if (closed) return;
        closed = true;
        void onClientGone();
        try {
          controller.close();
        } catch {
          // Already cancelled by the runtime.
        }
      };
      if (options.abort.signal.aborted) onAbort();
      else options.abort.signal.addEventListener("abort", onAbort, { once: true });
    },
    // Pull-based: the engine is only asked for the next token when the client has taken the last one.
    async pull(controller) {
      try {
        for (;;) {
          if (closed) return;
          const result = await next();
          if (closed) return;
          if (result.done) {
            end(controller);
            return;
          }
          const event = result.value;
          if (event.type === "token") emittedTokens++;
          const text = encodeEvent(event, chunks, options.includeUsage);
          if (text !== "") controller.enqueue(encoder.encode(text));
          if (event.type === "done") {
            end(controller);
            return;
          }
          if (text !== "") return;
        }
      } catch (error) {
        if (closed) return; // the client is gone; nobody to tell
        closed = true;
        // Headers are sent; the only way left to report is in-stream, without internals.
        console.error("[v1] stream failed:", error);
        const body = new OpenAIApiError(500, "server_error", "The server had an error while generating.", null, "internal_error").body();
        controller.enqueue(encoder.encode(sseData(body)));
        end(controller);
      }
    },
    async cancel() {
      if (closed) return;
      closed = true;
      await onClientGone();
    },
  });
}
