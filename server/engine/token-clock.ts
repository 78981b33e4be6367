/**
 * One answer's clock: when it started, when its first and last tokens came, and how many. The speeds of
 * every stats report are derived here — the engine's own (per sampled token), the chat layer's when the
 * engine could not report (per streamed token), and a remote worker's when it sends no timings — so the
 * three agree on what time to first token and decode speed mean.
 */
export class TokenClock {
  firstAt: number | null = null;
  lastAt: number | null = null;
  count = 0;

  constructor(readonly startedAt: number = performance.now()) {}

  /** A token arrived (or was sampled) at `now`. */
  tick(now: number = performance.now()): number {
    this.firstAt ??= now;
    this.lastAt = now;
    this.count += 1;
    return now;
  }

  /** From the start to the first token; null before one came. */
  get ttftMs(): number | null {
    return this.firstAt === null ? null : this.firstAt - this.startedAt;
  }

  /** Tokens after the first, per second from the first token to `until` (default: the last token). */
  decodeTokPerS(tokens: number = this.count, until: number | null = this.lastAt): number {
    if (this.firstAt === null || until === null || tokens <= 1 || until <= this.firstAt) return 0;
    return perSecond(tokens - 1, until - this.firstAt);
  }
}

/** `count` per second over `ms`; 0 when either is not positive. */
export function perSecond(count: number, ms: number): number {
  return count > 0 && ms > 0 ? (count * 1000) / ms : 0;
}
