/**
 * A model runner + tokenizer behind the `Engine` interface: context fitting, the queue, and generation
 * with KV-cache prefix reuse across jobs.
 */
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import type { ModelRunner } from "@/server/runtime/runner-types";
import { createChatTokenizer, type ChatTokenizer } from "./chat-prompt";
import { fitContext } from "./context-fit";
import { runGeneration, type GenerationContext } from "./generate";
import { PrefixCache } from "./prefix-cache";
import { Scheduler, maxQueueFromEnv } from "./scheduler";
import type { ChatTurn, Engine, EngineEvent, GenerateRequest } from "./types";

export interface CreateEngineOptions {
  runner: ModelRunner;
  /** The transformers.js tokenizer of the model folder, or an already wrapped ChatTokenizer. */
  tokenizer: PreTrainedTokenizer | ChatTokenizer;
  /** Requests that may wait behind the running one (default: BITNET_MAX_QUEUE or 8). */
  maxQueue?: number;
  prefillChunk?: number;
  proposeDraft?: GenerationContext["proposeDraft"];
}

export function createEngine(options: CreateEngineOptions): Engine {
  const { runner } = options;
  const tokenizer = isChatTokenizer(options.tokenizer)
    ? options.tokenizer
    : createChatTokenizer(options.tokenizer, { bosTokenId: runner.info.bosTokenId });
  const scheduler = new Scheduler(options.maxQueue ?? maxQueueFromEnv());
  const cache = new PrefixCache(runner);
  const ctx = { runner, cache, decode: (ids: number[]) => tokenizer.decode(ids), prefillChunk: options.prefillChunk, proposeDraft: options.proposeDraft };

  /**
   * Errors before `start` are thrown from the iterator: context_overflow (checked before queueing, so it
   * is immediate), busy (line full), aborted (signal fired while waiting — the iterator throws rather than
   * ending quietly, so callers can tell "never started" from a finished answer).
   * Ending the iteration early (break/return) aborts the job and frees the model.
   */
  async function* generate(request: GenerateRequest, signal?: AbortSignal): AsyncGenerator<EngineEvent> {
    const continueFinalMessage = request.continueFinalMessage === true;
    const encode = (messages: readonly ChatTurn[]) => tokenizer.encodeChat(messages, { continueFinalMessage });
    const fit = fitContext(request.messages, encode, {
      maxPositions: runner.info.maxPositions,
      maxNewTokens: request.params.maxNewTokens,
      continueFinalMessage,
    });
    const ticket = scheduler.enter(signal);
    try {
      for await (const position of ticket.positions()) yield { type: "queued", position };
      yield* runGeneration(ctx, {
        promptIds: fit.ids,
        droppedTurns: fit.droppedTurns,
        params: request.params,
        stop: request.stop,
        signal,
      });
    } finally {
      ticket.release();
    }
  }

  return {
    generate,
    contextLength: runner.info.maxPositions,
    queueLength: () => scheduler.length,
  };
}

function isChatTokenizer(t: PreTrainedTokenizer | ChatTokenizer): t is ChatTokenizer {
  return typeof (t as ChatTokenizer).encodeChat === "function";
}
