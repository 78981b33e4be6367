/**
 * Fair share of the model on a team server (BITNET_AUTH=accounts): each account may have at most
 * `BITNET_USER_MAX_ACTIVE` answers (default 2) running or waiting in line at once, counted from the request
 * until the answer is saved; one more gets 429 `busy`, so nobody can fill every slot and the whole queue.
 * Each waiting answer still shows its own place in line (the `queued` event). Counted per process: with
 * several app instances on one PostgreSQL (BITNET_WORKERS aside) the limit holds per instance.
 */
import { RequestError } from "@/lib/api/request-error";

export const DEFAULT_USER_MAX_ACTIVE = 2;

export function userMaxActiveFromEnv(value = process.env.BITNET_USER_MAX_ACTIVE): number {
  if (value === undefined || value.trim() === "") return DEFAULT_USER_MAX_ACTIVE;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BITNET_USER_MAX_ACTIVE must be a whole number ≥ 1 (got "${value}")`);
  return n;
}

export class FairShare {
  private readonly active = new Map<string, number>();

  /** Counts one more answer of `owner`, or throws 429 when it already has `limit`; the release is idempotent. */
  take(owner: string, limit = userMaxActiveFromEnv()): () => void {
    const now = this.active.get(owner) ?? 0;
    if (now >= limit) {
      throw new RequestError(429, "busy", `You already have ${now} answer${now === 1 ? "" : "s"} running or waiting (at most ${limit} per person): wait for one to finish, or stop it.`);
    }
    this.active.set(owner, now + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.active.get(owner) ?? 1) - 1;
      if (left <= 0) this.active.delete(owner);
      else this.active.set(owner, left);
    };
  }

  activeOf(owner: string): number {
    return this.active.get(owner) ?? 0;
  }
}

/** One per process, on globalThis like the answer registry (route bundles share it). */
export function fairShare(): FairShare {
  const holder = globalThis as { __bitnetFairShare?: FairShare };
  holder.__bitnetFairShare ??= new FairShare();
  return holder.__bitnetFairShare;
}
