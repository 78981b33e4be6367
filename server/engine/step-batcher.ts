/**
 * Continuous batching: several answers share forward passes. Each running answer drives its own generation
 * loop (generate.ts, unchanged) on a `SequenceRunner` — a ModelRunner view of one KV-cache slot — whose
 * `forward` hands its tokens to this batcher instead of running them. A step runs once every attached
 * sequence has handed in its next tokens (or after `maxWaitMs`, so one slow consumer does not hold up the
 * rest): the next token (plus any draft tokens) of every decoding answer, and prompt chunks of joining answers
 * within a token budget, in one `forwardBatch`. Answers attach and detach between steps.
 *
 * Why each answer keeps its own loop: sampling, stop strings, abort, seeds, speculative decoding and UTF-8
 * streaming are then literally the single-answer code, and the runner makes a sequence's logits
 * bit-identical whatever shares its pass (server/runtime/onnx-runner.ts), so an answer's tokens do not
 * depend on what else runs.
 *
 * One bad row never fails a shared pass: a row is checked before it joins one (token ids inside the
 * vocabulary, room left in the context) and refused alone; should a pass fail anyway, its rows are run again
 * one by one, so only the row that fails by itself fails its answer.
 */
import type { BatchRow, BatchedModelRunner, ModelInfo, ModelRunner } from "@/server/runtime/runner-types";

export interface StepBatcherOptions {
  /**
   * Tokens of prompt chunks per step beyond the decoding rows (at least one chunk always runs): bounds how
   * long a joining answer's prefill holds up the others' next token.
   */
  promptBudget?: number;
  /** How long a step waits for attached sequences that have not handed in their tokens yet. */
  maxWaitMs?: number;
}

/** A pass row this many tokens long or shorter is a decoding step (1 token + drafts), never deferred. */
const DECODE_ROW_MAX = 8;
/** One prefill chunk of the generation loop (generate.ts DEFAULT_PREFILL_CHUNK) per step by default. */
export const DEFAULT_PROMPT_BUDGET = 128;
const DEFAULT_MAX_WAIT_MS = 20;

interface Pending {
  row: BatchRow;
  resolve: (logits: Float32Array) => void;
  reject: (error: unknown) => void;
}

export class StepBatcher {
  private readonly attached = new Set<number>();
  private readonly pending = new Map<number, Pending>();
  private running = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly promptBudget: number;
  private readonly maxWaitMs: number;
  /** Per slot: the most sequences that ran in one pass with it since it attached (itself included). */
  private readonly peak = new Map<number, number>();

  constructor(
    readonly runner: BatchedModelRunner,
    options: StepBatcherOptions = {},
  ) {
    this.promptBudget = Math.max(1, options.promptBudget ?? DEFAULT_PROMPT_BUDGET);
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  }

  /** A ModelRunner on `slot` whose forward passes go through this batcher. */
  sequence(slot: number): SequenceRunner {
    return new SequenceRunner(this, slot);
  }

  /** The sequence on `slot` takes part in steps from now on (steps wait for its tokens). */
  attach(slot: number): void {
    this.attached.add(slot);
    this.peak.set(slot, 1);
  }

  /** The sequence on `slot` has ended: steps stop waiting for it. Returns its peak sharing. */
  detach(slot: number): number {
    this.attached.delete(slot);
    const peak = this.peak.get(slot) ?? 1;
    this.peak.delete(slot);
    this.schedule();
    return peak;
  }

  /** The most answers that shared one pass with `slot` since it attached (1 = always alone). */
  peakSharing(slot: number): number {
    return this.peak.get(slot) ?? 1;
  }

  /** @internal SequenceRunner.forward */
  submit(row: BatchRow): Promise<Float32Array> {
    if (this.pending.has(row.slot)) return Promise.reject(new Error(`slot ${row.slot} already has a forward pass pending`));
    const problem = this.rowProblem(row);
    if (problem !== null) return Promise.reject(new Error(`forward: ${problem}`));
    return new Promise<Float32Array>((resolve, reject) => {
      this.pending.set(row.slot, { row, resolve, reject });
      this.schedule();
    });
  }

  /** Why the runner would refuse this row (and with it the whole pass), or null. */
  private rowProblem(row: BatchRow): string | null {
    const { vocabSize, maxPositions } = this.runner.info;
    const n = row.ids.length;
    if (n === 0) return "no tokens";
    for (let i = 0; i < n; i++) {
      const id = row.ids[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize) return `token id ${id} is outside the vocabulary (0…${vocabSize - 1})`;
    }
    const keep = row.keepLogits ?? 1;
    if (!Number.isInteger(keep) || keep < 1 || keep > n) return `keepLogits must be in 1..${n}`;
    const length = this.runner.slotLength(row.slot) + n;
    if (length > maxPositions) return `${length} positions exceed the model's ${maxPositions}`;
    return null;
  }

  private schedule(): void {
    if (this.running || this.pending.size === 0) return;
    let everyone = true;
    for (const slot of this.attached) if (!this.pending.has(slot)) everyone = false;
    if (everyone) {
      this.clearTimer();
      // A microtask later: sequences resolved by the same step hand in their tokens in the same tick.
      queueMicrotask(() => void this.step());
    } else if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.step();
      }, this.maxWaitMs);
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async step(): Promise<void> {
    if (this.running || this.pending.size === 0) return;
    this.clearTimer();
    this.running = true;
    const batch = this.pick();
    for (const { pending } of batch) this.pending.delete(pending.row.slot);
    try {
      const logits = await this.runner.forwardBatch(batch.map((b) => b.row));
      batch.forEach(({ pending }, i) => {
        const slot = pending.row.slot;
        this.peak.set(slot, Math.max(this.peak.get(slot) ?? 1, batch.length));
        pending.resolve(logits[i]!);
      });
    } catch (error) {
      if (batch.length === 1) batch[0]!.pending.reject(error);
      else await this.oneByOne(batch);
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  /**
   * A shared pass failed although its rows looked valid: each row runs again by itself (its logits are the
   * same alone or shared), so only a row that fails alone fails its answer. A failed pass leaves the KV
   * cache as it was: the runner checks its rows before changing anything and appends only after the run.
   */
  private async oneByOne(batch: { pending: Pending; row: BatchRow }[]): Promise<void> {
    for (const { pending, row } of batch) {
      try {
        const [logits] = await this.runner.forwardBatch([row]);
        pending.resolve(logits!.slice());
      } catch (error) {
        pending.reject(error);
      }
    }
  }

  /**
   * Every decoding row, then prompt chunks in slot order: the first always, more while the budget lasts.
   * Chunks are never cut here: where a prompt's chunks end changes its logits in the last bits (kernels
   * differ with the row count; a random-weight 2B model amplifies that), so the boundaries stay the
   * generation loop's own, whatever else runs.
   */
  private pick(): { pending: Pending; row: BatchRow }[] {
    const all = [...this.pending.values()].sort((a, b) => a.row.slot - b.row.slot);
    const picked = all.filter((p) => p.row.ids.length <= DECODE_ROW_MAX).map((pending) => ({ pending, row: pending.row }));
    let budget = this.promptBudget;
    let chunks = 0;
    for (const pending of all) {
      const n = pending.row.ids.length;
      if (n <= DECODE_ROW_MAX || (chunks > 0 && n > budget)) continue;
      picked.push({ pending, row: pending.row });
      chunks++;
      budget -= n;
    }
    return picked;
  }
}

/** One answer's view of the shared runner: its own KV slot; forward passes are batched with the others'. */
export class SequenceRunner implements ModelRunner {
  readonly info: ModelInfo;

  constructor(
    private readonly batcher: StepBatcher,
    readonly slot: number,
  ) {
    this.info = batcher.runner.info;
  }

  get length(): number {
    return this.batcher.runner.slotLength(this.slot);
  }

  async forward(ids: ArrayLike<number>, options: { keepLogits?: number } = {}): Promise<Float32Array> {
    // The batch's logits buffer is reused by the next pass, which may run before this caller reads it.
    return (await this.batcher.submit({ slot: this.slot, ids: Array.from(ids), keepLogits: options.keepLogits })).slice();
  }

  truncate(length: number): void {
    this.batcher.runner.truncateSlot(this.slot, length);
  }

  /** The shared runner belongs to the engine. */
  async dispose(): Promise<void> {}
}
