/**
 * One model, many users: up to `parallel` jobs hold the model at once (they share its forward passes:
 * step-batcher.ts), the rest wait first come first served. Waiting jobs learn their place in line as it
 * changes; the line is bounded so a flood of requests gets a quick "busy" instead of an ever longer wait.
 */
import { EngineError } from "./types";

export const DEFAULT_MAX_QUEUE = 8;

/** BITNET_MAX_QUEUE: how many requests may wait behind the running one (0 = none). */
export function maxQueueFromEnv(env: Record<string, string | undefined> = process.env): number {
  const value = Number(env.BITNET_MAX_QUEUE);
  return env.BITNET_MAX_QUEUE !== undefined && Number.isInteger(value) && value >= 0 ? value : DEFAULT_MAX_QUEUE;
}

/** Answers that share the model's forward passes when the runner can batch (docs/performance.md, issue 12). */
export const DEFAULT_PARALLEL = 4;

/** BITNET_PARALLEL: how many answers run at once, sharing forward passes (1 = one after another). */
export function parallelFromEnv(env: Record<string, string | undefined> = process.env): number {
  const value = Number(env.BITNET_PARALLEL);
  return env.BITNET_PARALLEL !== undefined && Number.isInteger(value) && value >= 1 ? value : DEFAULT_PARALLEL;
}

export class Scheduler {
  private readonly running: Ticket[] = [];
  private readonly waiting: Ticket[] = [];

  constructor(
    readonly maxQueue: number = DEFAULT_MAX_QUEUE,
    readonly parallel: number = 1,
  ) {}

  /** Jobs running + waiting. */
  get length(): number {
    return this.running.length + this.waiting.length;
  }

  /**
   * Takes a place in line (or the model, when free). Throws EngineError("busy") when the line is full.
   * Always `release()` the ticket, whether it ran, was aborted or was abandoned.
   */
  enter(signal?: AbortSignal): Ticket {
    if (signal?.aborted) throw abortedWhileQueued();
    const full = this.running.length >= this.parallel;
    if (full && this.waiting.length >= this.maxQueue) {
      const n = this.length;
      throw new EngineError("busy", `The model is busy with ${n} other request${n === 1 ? "" : "s"}; retry in a moment.`);
    }
    const ticket = new Ticket(this, signal);
    if (full) this.waiting.push(ticket);
    else this.running.push(ticket);
    return ticket;
  }

  /** 1-based place in line (1 = next), 0 when running, -1 when gone. */
  positionOf(ticket: Ticket): number {
    if (this.running.includes(ticket)) return 0;
    const i = this.waiting.indexOf(ticket);
    return i === -1 ? -1 : i + 1;
  }

  /** @internal called by Ticket.release */
  leave(ticket: Ticket): void {
    const r = this.running.indexOf(ticket);
    if (r !== -1) {
      this.running.splice(r, 1);
      while (this.running.length < this.parallel && this.waiting.length > 0) this.running.push(this.waiting.shift()!);
    } else {
      const i = this.waiting.indexOf(ticket);
      if (i === -1) return;
      this.waiting.splice(i, 1);
    }
    for (const t of this.running) t.wake();
    for (const t of this.waiting) t.wake();
  }
}

export class Ticket {
  private wakeUp: (() => void) | null = null;
  private released = false;
  private readonly onAbort = (): void => this.wake();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  /**
   * Yields the place in line each time it changes, and returns once the model is this job's.
   * Yields nothing when the model was free. Throws EngineError("aborted") (and leaves the line) when the
   * signal fires while waiting.
   */
  async *positions(): AsyncGenerator<number> {
    let last = 0;
    for (;;) {
      const position = this.scheduler.positionOf(this);
      if (position === 0) return;
      if (this.signal?.aborted || position === -1) {
        this.release();
        throw abortedWhileQueued();
      }
      if (position !== last) {
        last = position;
        yield position;
        continue; // the line may have moved while the consumer handled the event
      }
      await new Promise<void>((resolve) => (this.wakeUp = resolve));
    }
  }

  /** Gives the model (or the place in line) back. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.signal?.removeEventListener("abort", this.onAbort);
    this.scheduler.leave(this);
    this.wake();
  }

  /** @internal */
  wake(): void {
    const resolve = this.wakeUp;
    this.wakeUp = null;
    resolve?.();
  }
}

function abortedWhileQueued(): EngineError {
  return new EngineError("aborted", "The request was cancelled while waiting for the model.");
}
