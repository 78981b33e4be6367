/**
 * Which token ids the runner's KV cache holds, so the next job can keep the longest common prefix with its
 * prompt instead of recomputing it: in a multi-turn chat only the new turn is prefilled.
 */
import type { ModelRunner } from "@/server/runtime/runner-types";

export class PrefixCache {
  private ids: number[] = [];
  /** The `cacheKey` of the job whose tokens the cache holds. */
  private owner: string | undefined;

  constructor(private readonly runner: ModelRunner) {}

  /**
   * Hands the cache to the job with `key`: kept when the previous job had the same key, emptied otherwise
   * (and always for jobs without a key), so one caller never reuses — or can time — another's prompt.
   */
  claim(key: string | undefined): void {
    if (key === undefined || key !== this.owner) this.reset();
    this.owner = key;
  }

  /**
   * Truncates the cache to the longest prefix shared with `prompt`, leaving at least one prompt token to
   * run (its logits pick the first answer token). Returns how many prompt tokens are served from the cache.
   */
  reuse(prompt: readonly number[]): number {
    if (this.runner.length !== this.ids.length) this.ids = []; // someone else used the runner: trust nothing
    const limit = Math.min(this.ids.length, prompt.length - 1);
    let shared = 0;
    while (shared < limit && this.ids[shared] === prompt[shared]) shared++;
    this.runner.truncate(shared);
    this.ids.length = shared;
    return shared;
  }

  /** Records ids the runner just appended. */
  append(ids: ArrayLike<number>): void {
    for (let i = 0; i < ids.length; i++) this.ids.push(ids[i]!);
  }

  /** Forgets every position ≥ `length` (speculative drafts the model rejected). */
  truncate(length: number): void {
    this.runner.truncate(length);
    if (this.ids.length > length) this.ids.length = length;
  }

  /** After a failed forward pass the cache content is unknown: start empty. */
  reset(): void {
    this.ids = [];
    try {
      this.runner.truncate(0);
    } catch {
      // a runner that cannot even truncate will fail the next forward with its own error
    }
  }

  get length(): number {
    return this.ids.length;
  }
}
