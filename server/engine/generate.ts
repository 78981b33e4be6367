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
import { perSecond, TokenClock } from "./token-clock";
import { DEFAULT_PREFILL_CHUNK, prefillChunkAt } from "./prefill-chunks";
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

export { DEFAULT_PREFILL_CHUNK, prefillChunkAt, prefillInChunks } from "./prefill-chunks";

/**
 * One job, in named steps: the forced start of the answer, prefill, decode with speculative verify and
 * rollback, then the held-back text and the stats. Each step is a method of GenerationRun below.
 */
export async function* runGeneration(ctx: GenerationContext, job: GenerationJob): AsyncGenerator<EngineEvent> {
  const started = performance.now();
  const cached = ctx.cache.reuse(job.promptIds);
  yield { type: "start", promptTokens: job.promptIds.length, droppedTurns: job.droppedTurns, cachedPromptTokens: cached };
  const run = new GenerationRun(ctx, job, started, cached);
  try {
    yield* run.emitForced();
    const logits = yield* run.prefill();
    yield* run.decode(logits);
  } catch (e) {
    run.fail(e);
  }
  yield* run.releaseHeldText();
  yield run.done();
}

/** The state of one job between its steps: sampler, text pipeline, speculative bookkeeping, measurements. */
class GenerationRun {
  private readonly runner: ModelRunner;
  private readonly cache: PrefixCache;
  private readonly params: SamplingParams;
  private readonly signal: AbortSignal | undefined;
  private readonly prompt: readonly number[];
  private readonly chunk: number;
  private readonly eos: Set<number>;
  private readonly sampler: Sampler;
  private readonly detok: Detokenizer;
  private readonly stops: StopStringMatcher;
  private readonly recorder: LogprobRecorder | null;
  private readonly forced: number;
  private readonly one = [0];
  /** Prompt + answer so far: where prompt lookup searches for drafts. */
  private readonly history: number[];
  private readonly draftLength: DraftLength | null;
  private readonly propose: (history: readonly number[], k: number) => number[];
  private readonly prefillTotal: number;
  private draftTokens = 0;
  private acceptedDrafts = 0;
  private stopReason: EngineStopReason | null = null;
  private error: string | undefined;
  private completion = 0;
  /** Ticks at every sampled token (the end-of-turn one too): time to first token and decode speed. */
  private readonly clock: TokenClock;
  private prefillMs = 0;
  /**
   * A token's event waits while its text is held back (half a character, a possible stop string), so the
   * text released at the end still travels in the event of the token that produced it.
   */
  private pending: TokenEvent | null = null;

  constructor(
    ctx: GenerationContext,
    job: GenerationJob,
    started: number,
    private readonly cached: number,
  ) {
    this.clock = new TokenClock(started);
    this.runner = ctx.runner;
    this.cache = ctx.cache;
    const { vocabSize, eosTokenIds } = this.runner.info;
    this.params = job.params;
    this.signal = job.signal;
    this.prompt = job.promptIds;
    this.chunk = Math.max(1, ctx.prefillChunk ?? DEFAULT_PREFILL_CHUNK);
    this.eos = new Set(eosTokenIds);
    this.sampler = new Sampler(this.params, vocabSize);
    this.sampler.observe(this.prompt);
    this.detok = new Detokenizer(ctx.decode);
    this.stops = new StopStringMatcher(job.stop);
    this.recorder =
      job.logprobs === undefined
        ? null
        : new LogprobRecorder(vocabSize, Math.max(0, Math.min(MAX_TOP_LOGPROBS, Math.floor(job.logprobs))), ctx.tokenInfo ?? cachedTokenInfo(ctx.decode));
    this.forced = Math.max(0, Math.min(job.forced ?? 0, this.prompt.length - 1));
    this.history = [...this.prompt];
    this.draftLength = (this.params.speculative ?? SPECULATIVE_BY_DEFAULT) ? new DraftLength() : null;
    this.propose = ctx.proposeDraft ?? lookupDraft;
    this.prefillTotal = this.prompt.length - cached;
  }

  /** Emits one token's text (or holds it with the event); returns whether a stop string matched. */
  private *emit(id: number, extra: { record?: TokenRecord; forced?: true }): Generator<TokenEvent, boolean> {
    const piece = this.detok.push(id);
    if (extra.record) extra.record.piece = piece;
    const check = this.stops.push(piece);
    if (this.pending) yield this.pending;
    this.pending = { type: "token", text: check.text, id, ...extra };
    if (!this.detok.holding && !this.stops.holding) {
      yield this.pending;
      this.pending = null;
    }
    return check.stopped;
  }

  /** The prompt's last `forced` ids are the start of the answer: their text streams first. */
  *emitForced(): Generator<TokenEvent> {
    for (const id of this.prompt.slice(this.prompt.length - this.forced)) {
      if (yield* this.emit(id, { forced: true })) {
        this.stopReason = "stop";
        break;
      }
    }
  }

  /** The prompt after the cached prefix, in chunks; returns the last position's logits (null if stopped first). */
  async *prefill(): AsyncGenerator<EngineEvent, Float32Array | null> {
    let logits: Float32Array | null = null;
    const prefillStart = performance.now();
    for (let done = 0; done < this.prefillTotal; ) {
      if (this.stopReason !== null) break;
      if (this.signal?.aborted) {
        this.stopReason = "abort";
        break;
      }
      const size = prefillChunkAt(this.runner.length, this.chunk);
      const ids = this.prompt.slice(this.cached + done, this.cached + done + size);
      logits = await this.runner.forward(ids, { keepLogits: 1 });
      this.cache.append(ids);
      done += ids.length;
      yield { type: "prefill", done, total: this.prefillTotal };
    }
    this.prefillMs = performance.now() - prefillStart;
    if (this.stopReason === null && !logits) throw new Error("The prompt is empty: nothing to generate from.");
    return logits;
  }

  /**
   * Decode. Each pass runs the last sampled token plus up to k draft tokens (prompt lookup); row j of its
   * logits is the distribution after the j-th of them. Sampling row j exactly as plain decoding would
   * (same sampler state, same PRNG draw) and keeping the draft token only when the sample equals it is the
   * speculative-sampling rule for a single proposed token (accepted with probability p(t), otherwise a
   * draw from p without t): greedy and seeded output are those of one-token-at-a-time decoding.
   */
  async *decode(logits: Float32Array | null): AsyncGenerator<TokenEvent> {
    let rows = logits ? [logits] : [];
    let drafts: number[] = [];
    let base = this.runner.length - 1; // cache length before the first token of the current pass
    while (this.stopReason === null && rows.length > 0) {
      const { next, sampled } = yield* this.sampleRows(rows, drafts, base);
      this.rollBackDrafts(drafts, sampled, base);
      if (this.stopReason !== null) break;
      base = this.runner.length;
      drafts = this.proposeDrafts();
      rows = await this.verifyPass([next, ...drafts]);
    }
  }

  /**
   * Samples a pass's rows in order until a draft is rejected or the answer stops; returns the last sampled
   * token (the next pass's first) and how many rows were sampled before it.
   */
  private *sampleRows(rows: readonly Float32Array[], drafts: readonly number[], base: number): Generator<TokenEvent, { next: number; sampled: number }> {
    const { maxNewTokens } = this.params;
    const { maxPositions } = this.runner.info;
    let j = 0;
    for (; j < rows.length; j++) {
      const row = rows[j]!;
      const id = this.sampler.sample(row);
      this.clock.tick();
      if (this.eos.has(id)) {
        this.stopReason = "eos";
        break;
      }
      this.completion++;
      this.history.push(id);
      // Read the sampler's distribution before observing the token changes its penalty state.
      const record = this.recorder?.record(this.sampler, row, id);
      this.one[0] = id;
      this.sampler.observe(this.one);
      const stopped = yield* this.emit(id, record ? { record } : {});
      const accepted = j < drafts.length && id === drafts[j];
      if (accepted) this.acceptedDrafts++;
      if (stopped) this.stopReason = "stop";
      else if (this.completion >= maxNewTokens) this.stopReason = "length";
      else if (base + 1 + j >= maxPositions) this.stopReason = "context";
      else if (this.signal?.aborted) this.stopReason = "abort";
      if (this.stopReason !== null || !accepted) return { next: id, sampled: j };
    }
    return { next: -1, sampled: j };
  }

  /**
   * Forgets the rejected drafts (and, on a stop, the accepted ones past the last emitted token), so the
   * cache holds exactly what plain decoding would have; tells the draft-length policy how it went.
   */
  private rollBackDrafts(drafts: readonly number[], sampled: number, base: number): void {
    if (drafts.length > 0) this.draftLength?.record(drafts.length, Math.min(sampled, drafts.length));
    const keep = base + 1 + Math.min(sampled, drafts.length);
    if (this.runner.length > keep) this.cache.truncate(keep);
  }

  /** Draft tokens for the next pass, within the answer's and the context's room (none without speculation). */
  private proposeDrafts(): number[] {
    const room = Math.min(this.params.maxNewTokens - this.completion - 1, this.runner.info.maxPositions - this.runner.length - 1);
    const drafts = this.draftLength ? this.propose(this.history, Math.min(this.draftLength.next(), room)) : [];
    this.draftTokens += drafts.length;
    return drafts;
  }

  /** One forward pass over the sampled token and its drafts: one logits row per token. */
  private async verifyPass(ids: number[]): Promise<Float32Array[]> {
    const { vocabSize } = this.runner.info;
    const out = await this.runner.forward(ids, { keepLogits: ids.length });
    this.cache.append(ids);
    return ids.length === 1 ? [out] : ids.map((_, r) => out.subarray(r * vocabSize, (r + 1) * vocabSize));
  }

  /** The model failed mid-job: the answer ends with an error, and the cache no longer matches anything. */
  fail(e: unknown): void {
    this.stopReason = "error";
    this.error = e instanceof Error ? e.message : String(e);
    this.cache.reset();
  }

  /** Text still held at the end (half a character, a stop string's possible start) goes out with the last token. */
  *releaseHeldText(): Generator<TokenEvent> {
    if (this.stopReason !== "stop") {
      const tail = this.stops.push(this.detok.flush());
      if (tail.stopped && this.stopReason !== "error") this.stopReason = "stop";
      const text = tail.text + this.stops.flush();
      if (this.pending) this.pending.text += text;
      else if (text) this.pending = { type: "token", text, id: this.detok.tokenIds[this.detok.tokenIds.length - 1] ?? -1 };
    }
    if (this.pending) yield this.pending;
  }

  done(): EngineEvent {
    const ended = performance.now();
    const { clock } = this;
    const stats: EngineStats = {
      promptTokens: this.prompt.length,
      completionTokens: this.completion,
      cachedPromptTokens: this.cached,
      ttftMs: round(clock.ttftMs ?? ended - clock.startedAt),
      prefillTokPerS: round(perSecond(this.prefillTotal, this.prefillMs)),
      decodeTokPerS: round(clock.decodeTokPerS()),
      totalMs: round(ended - clock.startedAt),
      stopReason: this.stopReason ?? "abort",
      draftTokens: this.draftTokens,
      acceptedDraftTokens: this.acceptedDrafts,
    };
    return this.error === undefined ? { type: "done", stats } : { type: "done", stats, error: this.error };
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
