/**
 * A one-consumer async queue: the producer pushes without waiting, the consumer iterates at its own
 * pace. Hand-written because it is a dozen lines and every library for it (it-pushable, p-queue…)
 * brings more than this needs.
 */
export class EventChannel<T> {
  private readonly buffer: T[] = [];
  private wake: (() => void) | null = null;
  private closed = false;

  push(value: T): void {
    if (this.closed) return;
    this.buffer.push(value);
    this.notify();
  }

  /** Ends the iteration once the buffered values are read. */
  close(): void {
    this.closed = true;
    this.notify();
  }

  async *values(): AsyncGenerator<T> {
    for (;;) {
      const next = this.buffer.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
