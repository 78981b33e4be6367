/**
 * Writes a streaming answer's text (and token records) to its row as it grows, so a crash (kill -9, power
 * loss) loses at most the last `everyTokens` tokens or `everyMs` of it. Each write is one small UPDATE, its own
 * transaction; the row stays "stopped" until the final save, which is what a crashed answer is.
 * One write at a time: while one is in flight the next waits for a later token, and the final save
 * waits for `idle()` — on a connection pool an older, slower write could otherwise land after it.
 */
export interface ProgressPolicy {
  everyTokens: number;
  everyMs: number;
  /** Clock in ms (tests pass a fake one). */
  now?: () => number;
}

export const DEFAULT_PROGRESS_POLICY: ProgressPolicy = { everyTokens: 32, everyMs: 1_000 };

export class ProgressSaver {
  private pending = 0;
  private lastSaveAt: number;
  private readonly now: () => number;
  private inFlight: Promise<void> | null = null;

  constructor(
    /** Writes the answer as it stands now. */
    private readonly save: () => Promise<unknown>,
    private readonly policy: ProgressPolicy = DEFAULT_PROGRESS_POLICY,
  ) {
    this.now = policy.now ?? (() => performance.now());
    this.lastSaveAt = this.now();
  }

  /** Called after each token. */
  onToken(): void {
    this.pending += 1;
    const now = this.now();
    if (this.inFlight || (this.pending < this.policy.everyTokens && now - this.lastSaveAt < this.policy.everyMs)) return;
    this.pending = 0;
    this.lastSaveAt = now;
    this.inFlight = Promise.resolve()
      .then(() => this.save())
      .then(
        () => undefined,
        // A failed intermediate save only widens what a crash could lose; the final save reports its own failure.
        (error: unknown) => console.error("[chat] saving the partial answer failed:", error),
      )
      .finally(() => (this.inFlight = null));
  }

  /** Resolves once no partial save is in flight. */
  async idle(): Promise<void> {
    await this.inFlight;
  }
}
