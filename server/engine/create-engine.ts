/**
 * A model runner + tokenizer behind the `Engine` interface: context fitting, the queue, and generation
 * with KV-cache prefix reuse across jobs.
 */
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import type { ModelRunner } from "@/server/runtime/runner-types";
import { createChatTokenizer, type ChatTokenizer } from "./chat-prompt";
import { fitContext, fitContextByTurns, type FitOptions, type FitResult } from "./context-fit";
import { runGeneration, type GenerationContext } from "./generate";
import { PrefixCache } from "./prefix-cache";
import { cachedTokenInfo } from "./token-logprobs";
import { Scheduler, maxQueueFromEnv, parallelFromEnv } from "./scheduler";
import { StepBatcher } from "./step-batcher";
import { AnswerSlots } from "./answer-slots";
import { isBatchedRunner } from "@/server/runtime/runner-types";
import { EngineError, type ChatTurn, type Engine, type EngineEvent, type GenerateRequest } from "./types";

export interface CreateEngineOptions {
  runner: ModelRunner;
  /** The transformers.js tokenizer of the model folder, or an already wrapped ChatTokenizer. */
  tokenizer: PreTrainedTokenizer | ChatTokenizer;
  /** Requests that may wait behind the running one (default: BITNET_MAX_QUEUE or 8). */
  maxQueue?: number;
  prefillChunk?: number;
  proposeDraft?: GenerationContext["proposeDraft"];
  /**
   * Answers that run at once, sharing forward passes (default: BITNET_PARALLEL or 4; capped by the runner's
   * slots; 1, or a runner that cannot batch, runs answers one after another).
   */
  parallel?: number;
}

export function createEngine(options: CreateEngineOptions): Engine {
  const { runner } = options;
  const tokenizer = isChatTokenizer(options.tokenizer)
    ? options.tokenizer
    : createChatTokenizer(options.tokenizer, { bosTokenId: runner.info.bosTokenId });
  const parallel = isBatchedRunner(runner) ? Math.max(1, Math.min(options.parallel ?? parallelFromEnv(), runner.maxSlots)) : 1;
  const scheduler = new Scheduler(options.maxQueue ?? maxQueueFromEnv(), parallel);
  const cache = new PrefixCache(runner);
  const decode = (ids: number[]) => tokenizer.decode(ids);
  const ctx = { runner, cache, decode, tokenInfo: cachedTokenInfo(decode, tokenizer.tokenBytes?.bind(tokenizer)), prefillChunk: options.prefillChunk, proposeDraft: options.proposeDraft };
  // Several answers at once: each on its own KV slot and prefix cache, passes shared through the batcher
  // (which feeds a joining answer's prompt beside the others' decoding in pieces of its token budget).
  const batcher = parallel > 1 && isBatchedRunner(runner) ? new StepBatcher(runner) : null;
  const slots = batcher ? new AnswerSlots(batcher, parallel) : null;
  const fit = (messages: readonly ChatTurn[], options: FitOptions): Promise<FitResult> => {
    if (tokenizer.turns) return fitContextByTurns(messages, tokenizer.turns, options);
    const encode = (m: readonly ChatTurn[]) => tokenizer.encodeChat(m, { continueFinalMessage: options.continueFinalMessage });
    return Promise.resolve(fitContext(messages, encode, options));
  };

  /** Every job from its first step to its end (queued, fitting or generating), for close(). */
  const jobs = new Set<AbortController>();
  const idleWaiters: (() => void)[] = [];
  let closedBecause: string | null = null;

  /**
   * Errors before `start` are thrown from the iterator: busy (line full — checked first, before any
   * tokenizing), context_overflow (the prompt is fitted while the job waits in line), aborted (signal fired
   * while waiting — the iterator throws rather than ending quietly, so callers can tell "never started"
   * from a finished answer). Ending the iteration early (break/return) aborts the job and frees the model.
   */
  async function* generate(request: GenerateRequest, callerSignal?: AbortSignal): AsyncGenerator<EngineEvent> {
    if (closedBecause !== null) throw new EngineError("not_ready", closedBecause);
    // Aborted by the caller or by close(); one controller per job (AbortSignal.any keeps its sources alive).
    const job = new AbortController();
    const forward = () => job.abort();
    if (callerSignal?.aborted) job.abort();
    else callerSignal?.addEventListener("abort", forward, { once: true });
    const signal = job.signal;
    jobs.add(job);
    let ticket: ReturnType<Scheduler["enter"]> | undefined;
    try {
      ticket = scheduler.enter(signal);
      const prefix = request.answerPrefixIds ?? [];
      const fitted = await fit(request.messages, {
        maxPositions: runner.info.maxPositions,
        maxNewTokens: request.params.maxNewTokens + prefix.length,
        continueFinalMessage: request.continueFinalMessage === true,
      });
      for await (const position of ticket.positions()) yield { type: "queued", position };
      const generation = {
        promptIds: prefix.length > 0 ? [...fitted.ids, ...prefix] : fitted.ids,
        droppedTurns: fitted.droppedTurns,
        params: request.params,
        stop: request.stop,
        signal,
        logprobs: request.logprobs,
        forced: prefix.length,
      };
      if (batcher && slots) {
        const slot = slots.acquire(request.cacheKey);
        batcher.attach(slot.slot);
        try {
          const own = { ...ctx, runner: slot.runner, cache: slot.cache };
          for await (const event of runGeneration(own, generation)) {
            yield event.type === "done" ? { ...event, stats: { ...event.stats, answersSharing: batcher.peakSharing(slot.slot) } } : event;
          }
        } finally {
          batcher.detach(slot.slot);
          slots.release(slot);
        }
      } else {
        cache.claim(request.cacheKey);
        yield* runGeneration(ctx, generation);
      }
    } finally {
      ticket?.release();
      callerSignal?.removeEventListener("abort", forward);
      jobs.delete(job);
      if (jobs.size === 0) for (const resolve of idleWaiters.splice(0)) resolve();
    }
  }

  async function close(reason = "The model is being unloaded; retry in a moment."): Promise<void> {
    closedBecause ??= reason;
    for (const job of jobs) job.abort();
    if (jobs.size > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
  }

  return {
    generate,
    contextLength: runner.info.maxPositions,
    vocabSize: runner.info.vocabSize,
    queueLength: () => scheduler.length,
    close,
  };
}

function isChatTokenizer(t: PreTrainedTokenizer | ChatTokenizer): t is ChatTokenizer {
  return typeof (t as ChatTokenizer).encodeChat === "function";
}
