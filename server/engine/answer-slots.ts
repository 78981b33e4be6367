/**
 * The KV-cache slots of a batching runner, one per running answer, each with its own prefix cache: a job
 * gets the free slot that last served its cacheKey (so the next turn of a conversation reuses its prompt),
 * else the lowest empty one, else the lowest free one (its cached prefix is dropped). Low slots first keep
 * the pass's row count — every slot up to the highest one in use — small.
 */
import { PrefixCache } from "./prefix-cache";
import type { SequenceRunner, StepBatcher } from "./step-batcher";

export interface AnswerSlot {
  slot: number;
  runner: SequenceRunner;
  cache: PrefixCache;
  /** The cacheKey of the last job on this slot. */
  key: string | undefined;
  busy: boolean;
}

export class AnswerSlots {
  private readonly slots: AnswerSlot[];

  constructor(batcher: StepBatcher, count: number) {
    this.slots = Array.from({ length: count }, (_, slot) => {
      const runner = batcher.sequence(slot);
      return { slot, runner, cache: new PrefixCache(runner), key: undefined, busy: false };
    });
  }

  /** A free slot for a job with `key` (the scheduler admits at most `count` jobs, so one is free). */
  acquire(key: string | undefined): AnswerSlot {
    const free = this.slots.filter((s) => !s.busy);
    const chosen =
      (key !== undefined ? free.find((s) => s.key === key) : undefined) ?? free.find((s) => s.cache.length === 0) ?? free[0];
    if (!chosen) throw new Error("no free answer slot");
    chosen.busy = true;
    chosen.cache.claim(key);
    chosen.key = key;
    return chosen;
  }

  release(slot: AnswerSlot): void {
    slot.busy = false;
  }
}
