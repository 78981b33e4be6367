/**
 * The response objects of `POST /v1/chat/completions`, typed against the official `openai` package so the
 * shapes cannot drift from what its clients parse; `timings` is the one extra (llama.cpp-style) field.
 */
import { randomBytes } from "node:crypto";
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionTokenLogprob } from "openai/resources/chat/completions";
import type { CompletionUsage } from "openai/resources/completions";
import type { EngineStats, EngineStopReason } from "@/server/engine/types";
import { toTimings, toUsage, type Timings } from "./usage";

export type FinishReason = "stop" | "length";

/** What all objects of one completion share. */
export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

export function newCompletionMeta(model: string, now: Date = new Date()): CompletionMeta {
  return { id: `chatcmpl-${randomBytes(12).toString("base64url")}`, created: Math.floor(now.getTime() / 1000), model };
}

/** Hitting the context window is, for the client, the same as hitting max_tokens: the text was cut. */
export function toFinishReason(stopReason: EngineStopReason): FinishReason {
  return stopReason === "length" || stopReason === "context" ? "length" : "stop";
}

export type ChatCompletionWithTimings = ChatCompletion & { timings: Timings };
export type ChatCompletionChunkWithTimings = ChatCompletionChunk & { timings?: Timings };

/** `logprobs`: the tokens' entries when the request asked for them (`logprobs: true`), else null. */
export function buildCompletion(meta: CompletionMeta, content: string, stats: EngineStats, logprobs: ChatCompletionTokenLogprob[] | null = null): ChatCompletionWithTimings {
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null },
        logprobs: logprobs ? { content: logprobs, refusal: null } : null,
        finish_reason: toFinishReason(stats.stopReason),
      },
    ],
    usage: toUsage(stats),
    timings: toTimings(stats),
  };
}

/**
 * Builds the chunks of one streamed completion. With `include_usage`, OpenAI sends `"usage": null` on
 * every chunk before the final usage chunk; without it the field is absent.
 */
export class ChunkBuilder {
  /** With `logprobs`: entries of tokens whose text has not been sent yet (held back half a character). */
  private readonly pendingLogprobs: ChatCompletionTokenLogprob[] | null;

  constructor(
    private readonly meta: CompletionMeta,
    private readonly includeUsage: boolean,
    logprobs = false,
  ) {
    this.pendingLogprobs = logprobs ? [] : null;
  }

  /** A token's logprobs entry, sent with the next content chunk (ignored when the request did not ask). */
  queueLogprob(entry: ChatCompletionTokenLogprob): void {
    this.pendingLogprobs?.push(entry);
  }

  /** Entries still waiting for a content chunk. */
  get hasPendingLogprobs(): boolean {
    return (this.pendingLogprobs?.length ?? 0) > 0;
  }

  private chunk(choices: ChatCompletionChunk.Choice[], usage?: CompletionUsage | null): ChatCompletionChunkWithTimings {
    const chunk: ChatCompletionChunkWithTimings = {
      id: this.meta.id,
      object: "chat.completion.chunk",
      created: this.meta.created,
      model: this.meta.model,
      choices,
    };
    if (this.includeUsage) chunk.usage = usage ?? null;
    return chunk;
  }

  /** The first chunk: the role, with empty content. */
  role(): ChatCompletionChunkWithTimings {
    return this.chunk([{ index: 0, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null }]);
  }

  content(text: string): ChatCompletionChunkWithTimings {
    const pending = this.pendingLogprobs;
    const logprobs = pending ? { content: pending.splice(0), refusal: null } : null;
    return this.chunk([{ index: 0, delta: { content: text }, logprobs, finish_reason: null }]);
  }

  /** The last chunk with a choice: an empty delta and the finish reason, plus the timings. */
  finish(stats: EngineStats): ChatCompletionChunkWithTimings {
    const chunk = this.chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: toFinishReason(stats.stopReason) }]);
    chunk.timings = toTimings(stats);
    return chunk;
  }

  /** Only with `include_usage`: no choices, the usage of the whole request. */
  usage(stats: EngineStats): ChatCompletionChunkWithTimings {
    return this.chunk([], toUsage(stats));
  }
}
