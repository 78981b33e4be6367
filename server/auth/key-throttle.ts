/**
 * Guessing the access key over HTTP is slow, whatever the client does. Every key check of an address waits
 * in that address's one line: a wrong key holds the line for a delay that doubles with each consecutive
 * failure (up to a cap), so the k-th guess of a burst cannot be checked before the delays of all the
 * guesses before it have passed — sending them in parallel, or hanging up early, gains nothing. The right key
 * waits its turn too, then clears the count.
 *
 * Memory is bounded: at most `maxWaiting` checks wait per address (more are refused at once, unchecked),
 * at most `maxAddresses` addresses are remembered (when full, the one idle longest is forgotten), and an
 * address idle for `forgetAfterMs` starts afresh.
 */

export interface KeyThrottleOptions {
  /** The delay after the first wrong key; each further one doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  maxWaiting: number;
  maxAddresses: number;
  forgetAfterMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_BASE_DELAY_MS = 500;
/** The cap is this many times the base delay: 500 ms doubles to 30 s in 7 steps. */
export const MAX_DELAY_FACTOR = 60;
export const DEFAULT_THROTTLE: KeyThrottleOptions = {
  baseDelayMs: DEFAULT_BASE_DELAY_MS,
  maxDelayMs: DEFAULT_BASE_DELAY_MS * MAX_DELAY_FACTOR,
  maxWaiting: 128,
  maxAddresses: 10_000,
  forgetAfterMs: 15 * 60_000,
};

/** Refused without checking the key: this address already has `maxWaiting` checks in line (or the table is full of busy lines). */
export class TooManyAttemptsError extends Error {
  constructor(readonly retryAfterS: number) {
    super(`Too many access key attempts from this address at once; retry in ${retryAfterS} s.`);
    this.name = "TooManyAttemptsError";
  }
}

/** By name, not `instanceof`: the throttle lives on globalThis and may have been made by another bundle's copy of this class. */
export function isTooManyAttempts(error: unknown): error is TooManyAttemptsError {
  return error instanceof Error && error.name === "TooManyAttemptsError" && typeof (error as TooManyAttemptsError).retryAfterS === "number";
}

interface Line {
  /** Consecutive wrong keys. */
  failures: number;
  /** Settles when the last check in line is done. */
  tail: Promise<unknown>;
  waiting: number;
  lastActive: number;
}

/** Lines looked at per check when forgetting idle ones, so a check costs O(1) however big the table is. */
const SWEEP_STEPS = 64;

export class KeyThrottle {
  private readonly lines = new Map<string, Line>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: KeyThrottleOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The delay a wrong key costs when it is the `failures`-th in a row. */
  delayAfter(failures: number): number {
    if (failures <= 0) return 0;
    return Math.min(this.options.baseDelayMs * 2 ** Math.min(failures - 1, 40), this.options.maxDelayMs);
  }

  /** Addresses remembered (tests). */
  get size(): number {
    return this.lines.size;
  }

  /** Consecutive failures of an address (tests). */
  failuresOf(address: string): number {
    return this.lines.get(address)?.failures ?? 0;
  }

  /** Runs `verify` (a constant-time key or password comparison) in `address`'s line; resolves with its verdict. */
  async check(address: string, verify: () => boolean | Promise<boolean>): Promise<boolean> {
    const now = this.now();
    this.forgetIdle(now);
    const line = this.lineFor(address, now);
    if (line.waiting >= this.options.maxWaiting) throw new TooManyAttemptsError(this.retryAfterS(line));
    line.waiting++;
    const turn = line.tail.then(async () => {
      if (await verify()) {
        line.failures = 0;
        return true;
      }
      line.failures++;
      await this.sleep(this.delayAfter(line.failures));
      return false;
    });
    line.tail = turn.catch(() => undefined);
    try {
      return await turn;
    } finally {
      line.waiting--;
      line.lastActive = this.now();
    }
  }

  private retryAfterS(line: Line): number {
    return Math.max(1, Math.ceil((line.waiting * this.delayAfter(line.failures + 1)) / 1000));
  }

  /** The address's line, most recently used last (Map order), making room if the table is full. */
  private lineFor(address: string, now: number): Line {
    let line = this.lines.get(address);
    if (line) {
      this.lines.delete(address);
    } else {
      if (this.lines.size >= this.options.maxAddresses && !this.evictOne()) throw new TooManyAttemptsError(1);
      line = { failures: 0, tail: Promise.resolve(), waiting: 0, lastActive: now };
    }
    this.lines.set(address, line);
    return line;
  }

  /** Forgets the least recently used line that has nobody waiting. */
  private evictOne(): boolean {
    for (const [address, line] of this.lines) {
      if (line.waiting === 0) {
        this.lines.delete(address);
        return true;
      }
    }
    return false;
  }

  private forgetIdle(now: number): void {
    let steps = 0;
    for (const [address, line] of this.lines) {
      if (++steps > SWEEP_STEPS) return;
      if (line.waiting > 0) continue;
      if (now - line.lastActive < this.options.forgetAfterMs) return;
      this.lines.delete(address);
    }
  }
}

/** BITNET_AUTH_DELAY_MS: the first wrong key's delay (default 500 ms); the cap is 60 times it. */
export function throttleOptionsFromEnv(value = process.env.BITNET_AUTH_DELAY_MS): KeyThrottleOptions {
  if (value === undefined || value.trim() === "") return DEFAULT_THROTTLE;
  const base = Number(value);
  if (!Number.isInteger(base) || base < 1 || base > 60_000) {
    throw new Error(`BITNET_AUTH_DELAY_MS must be a whole number of milliseconds from 1 to 60000 (got "${value}")`);
  }
  return { ...DEFAULT_THROTTLE, baseDelayMs: base, maxDelayMs: base * MAX_DELAY_FACTOR };
}

/** One throttle per process: on globalThis because proxy.ts and the route handlers are bundled separately. */
const holder = globalThis as typeof globalThis & { __bitnetKeyThrottle?: KeyThrottle };

export function keyThrottle(): KeyThrottle {
  holder.__bitnetKeyThrottle ??= new KeyThrottle(throttleOptionsFromEnv());
  return holder.__bitnetKeyThrottle;
}
