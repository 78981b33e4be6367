/**
 * One generation job on the model runner: prefill (reusing the cached prefix), then decode one token at a
 * time, with streaming text, stop rules and measurements. Runs only while the scheduler grants the model.
 */
import { SPECULATIVE_BY_DEFAULT } from "@/lib/speculative-default";
import type { ModelRunner } from "@/server/runtime/runner-types";
import { Detokenizer, type DecodeFn } from "./detokenizer";
import type { PrefixCache } from "./prefix-cache";
import { Sampler } from "./sampler";
import { StopStringMatcher } from "./stop-strings";
import { DraftLength, lookupDraft } from "./prompt-lookup";
import { cachedTokenInfo, LogprobRecorder, MAX_TOP_LOGPROBS, type TokenInfo, type TokenRecord } from "./token-logprobs";
import type { EngineEvent, EngineStats, EngineStopReason, SamplingParams } from "./types";

export interface GenerationJob {
  promptIds: readonly number[];
  droppedTurns: number;
  params: SamplingParams;
  stop?: string[];
  signal?: AbortSignal;
  /** Record per-token log-probabilities with this many alternatives (see token-logprobs.ts); absent: none. */
  logprobs?: number;
  /**
   * The last `forced` ids of the prompt are the start of the answer (a branch from a chosen token): they are
   * emitted as `forced` token events before decoding, and not counted as generated.
   */
  forced?: number;
}

export interface GenerationContext {
  runner: ModelRunner;
  cache: PrefixCache;
  decode: DecodeFn;
  /** Prompt tokens per prefill forward pass: big enough for fast matrix kernels, small enough for progress and abort. */
  prefillChunk?: number;
  /** Draft tokens to verify after `history` (prompt + answer so far), at most `k`: prompt lookup unless a test swaps it. */
  proposeDraft?: (history: readonly number[], k: number) => number[];
  /** One token's text alone and bytes (cached by the engine); default: from `decode([id])`. */
  tokenInfo?: (id: number) => TokenInfo;
}

type TokenEvent = Extract<EngineEvent, { type: "token" }>;

export const DEFAULT_PREFILL_CHUNK = 128;

/**
 * (new tokens × cache positions) one prefill pass may put into attention. Its score and probability
 * tensors grow with that product, and onnxruntime's arena keeps the largest size it ever served: with
 * 128-token chunks up to a 2k context the process peak was 65 MB higher (2B shape, docs/performance.md,
 * "Prefill chunks that shrink"). Up to a 384-token cache, chunks stay whole, so a fresh prompt's prefill
 * speed is unchanged; at 2k they are 30 tokens, 3–5 % slower there.
 */
const PREFILL_ATTENTION_BUDGET = 128 * 512;

/** The prefill chunk after `cached` positions: `max` while short, then shrinking so chunk × context stays in budget. */
export function prefillChunkAt(cached: number, max: number): number {
  const fit = Math.floor(PREFILL_ATTENTION_BUDGET / (cached + max));
  return Math.max(1, Math.min(max, Math.max(16, fit)));
}

/**
 * Runs `ids` through the runner in the engine's prefill chunks (no sampling, no events) and returns the
 * last position's logits: for benchmarks and probes that must use memory as the app does.
 */
export async function prefillInChunks(runner: ModelRunner, ids: readonly number[], max = DEFAULT_PREFILL_CHUNK): Promise<Float32Array> {
  let logits: Float32Array | null = null;
  for (let i = 0; i < ids.length; ) {
    const size = prefillChunkAt(runner.length, max);
    logits = await runner.forward(ids.slice(i, i + size));
    i += size;
  }
  if (!logits) throw new Error("nothing to prefill");
  return logits;
}

export async function* runGeneration(ctx: GenerationContext, job: GenerationJob): AsyncGenerator<EngineEvent> {
  const { runner, cache } = ctx;
  const { vocabSize, maxPositions, eosTokenIds } = runner.info;
  const { params, signal } = job;
  const prompt = job.promptIds;
  const chunk = Math.max(1, ctx.prefillChunk ?? DEFAULT_PREFILL_CHUNK);
  const started = performance.now();

  const cached = cache.reuse(prompt);
  yield { type: "start", promptTokens: prompt.length, droppedTurns: job.droppedTurns, cachedPromptTokens: cached };

  const eos = new Set(eosTokenIds);
  const sampler = new Sampler(params, vocabSize);
  sampler.observe(prompt);
  const detok = new Detokenizer(ctx.decode);
  const stops = new StopStringMatcher(job.stop);
  const recorder =
    job.logprobs === undefined
      ? null
      : new LogprobRecorder(vocabSize, Math.max(0, Math.min(MAX_TOP_LOGPROBS, Math.floor(job.logprobs))), ctx.tokenInfo ?? cachedTokenInfo(ctx.decode));
  const forced = Math.max(0, Math.min(job.forced ?? 0, prompt.length - 1));
  const one = [0];
  // Prompt + answer so far: where prompt lookup searches for drafts.
  const history = [...prompt];
  const draftLength = (params.speculative ?? SPECULATIVE_BY_DEFAULT) ? new DraftLength() : null;
  const propose = ctx.proposeDraft ?? lookupDraft;
  let draftTokens = 0;
  let acceptedDrafts = 0;

  let stopReason: EngineStopReason | null = null;
  let error: string | undefined;
  let completion = 0;
  let samples = 0;
  let firstSampleAt = 0;
  let lastSampleAt = 0;
  let prefillMs = 0;
  const prefillTotal = prompt.length - cached;
  // A token's event waits while its text is held back (half a character, a possible stop string), so the
  // text released at the end still travels in the event of the token that produced it.
  let pending: TokenEvent | null = null;
  /** Emits one token's text (or holds it with the event); returns whether a stop string matched. */
  function* emit(id: number, extra: { record?: TokenRecord; forced?: true }): Generator<TokenEvent, boolean> {
    const piece = detok.push(id);
    if (extra.record) extra.record.piece = piece;
    const check = stops.push(piece);
    if (pending) yield pending;
    pending = { type: "token", text: check.text, id, ...extra };
    if (!detok.holding && !stops.holding) {
      yield pending;
      pending = null;
    }
    return check.stopped;
  }

  try {
    for (const id of prompt.slice(prompt.length - forced)) {
      if (yield* emit(id, { forced: true })) {
        stopReason = "stop";
        break;
      }
    }
    let logits: Float32Array | null = null;
    const prefillStart = performance.now();
    for (let done = 0; done < prefillTotal; ) {
      if (stopReason !== null) break;
      if (signal?.aborted) {
        stopReason = "abort";
        break;
      }
      const size = prefillChunkAt(runner.length, chunk);
      const ids = prompt.slice(cached + done, cached + done + size);
      logits = await runner.forward(ids, { keepLogits: 1 });
      cache.append(ids);
      done += ids.length;
      yield { type: "prefill", done, total: prefillTotal };
    }
    prefillMs = performance.now() - prefillStart;
    if (stopReason === null && !logits) throw new Error("The prompt is empty: nothing to generate from.");

    // Decode. Each pass runs the last sampled token plus up to k draft tokens (prompt lookup); row j of its
    // logits is the distribution after the j-th of them. Sampling row j exactly as plain decoding would
    // (same sampler state, same PRNG draw) and keeping the draft token only when the sample equals it is the
    // speculative-sampling rule for a single proposed token (accepted with probability p(t), otherwise a
    // draw from p without t): greedy and seeded output are those of one-token-at-a-time decoding.
    let rows = logits ? [logits] : [];
    let drafts: number[] = [];
    let base = runner.length - 1; // cache length before the first token of the current pass
    while (stopReason === null && rows.length > 0) {
      let next = -1;
      let j = 0;
      for (; j < rows.length; j++) {
        const row = rows[j]!;
        const id = sampler.sample(row);
        lastSampleAt = performance.now();
        if (samples++ === 0) firstSampleAt = lastSampleAt;
        if (eos.has(id)) {
          stopReason = "eos";
          break;
        }
        completion++;
        history.push(id);
        // Read the sampler's distribution before observing the token changes its penalty state.
        const record = recorder?.record(sampler, row, id);
        one[0] = id;
        sampler.observe(one);
        const stopped = yield* emit(id, record ? { record } : {});
        const accepted = j < drafts.length && id === drafts[j];
        if (accepted) acceptedDrafts++;
        if (stopped) stopReason = "stop";
        else if (completion >= params.maxNewTokens) stopReason = "length";
        else if (base + 1 + j >= maxPositions) stopReason = "context";
        else if (signal?.aborted) stopReason = "abort";
        if (stopReason !== null || !accepted) {
          next = id;
          break;
        }
      }
      if (drafts.length > 0) draftLength?.record(drafts.length, Math.min(j, drafts.length));
      // Forget the rejected drafts (and, on a stop, the accepted ones past the last emitted token), so the
      // cache holds exactly what plain decoding would have.
      const keep = base + 1 + Math.min(j, drafts.length);
      if (runner.length > keep) cache.truncate(keep);
      if (stopReason !== null) break;
      const room = Math.min(params.maxNewTokens - completion - 1, maxPositions - runner.length - 1);
      drafts = draftLength ? propose(history, Math.min(draftLength.next(), room)) : [];
      draftTokens += drafts.length;
      base = runner.length;
      const ids = [next, ...drafts];
      const out = await runner.forward(ids, { keepLogits: ids.length });
      cache.append(ids);
      rows = ids.length === 1 ? [out] : ids.map((_, r) => out.subarray(r * vocabSize, (r + 1) * vocabSize));
    }
  } catch (e) {
    stopReason = "error";
    error = e instanceof Error ? e.message : String(e);
    cache.reset();
  }

  if (stopReason !== "stop") {
    const tail = stops.push(detok.flush());
    if (tail.stopped && stopReason !== "error") stopReason = "stop";
    const text = tail.text + stops.flush();
    if (pending) pending.text += text;
    else if (text) pending = { type: "token", text, id: detok.tokenIds[detok.tokenIds.length - 1] ?? -1 };
  }
  if (pending) yield pending;

  const ended = performance.now();
  const stats: EngineStats = {
    promptTokens: prompt.length,
    completionTokens: completion,
    cachedPromptTokens: cached,
    ttftMs: round((samples > 0 ? firstSampleAt : ended) - started),
    prefillTokPerS: prefillMs > 0 ? round((prefillTotal / prefillMs) * 1000) : 0,
    decodeTokPerS: samples > 1 && lastSampleAt > firstSampleAt ? round(((samples - 1) / (lastSampleAt - firstSampleAt)) * 1000) : 0,
    totalMs: round(ended - started),
    stopReason: stopReason ?? "abort",
    draftTokens,
    acceptedDraftTokens: acceptedDrafts,
  };
  yield error === undefined ? { type: "done", stats } : { type: "done", stats, error };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
