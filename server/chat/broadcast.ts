/**
 * One producer, any number of listeners that come and go: each listener gets its own EventChannel
 * (so a slow client never holds up the answer), optionally starting with a first value (a snapshot),
 * and leaves when its signal fires. Shared by a running answer and a running compare pair.
 */
import { EventChannel } from "./event-channel";

export class Broadcast<T> {
  private readonly channels = new Set<EventChannel<T>>();
  private ended = false;

  push(value: T): void {
    for (const channel of this.channels) channel.push(value);
  }

  /** No more values: every listener finishes reading what it has. */
  end(): void {
    this.ended = true;
    for (const channel of this.channels) channel.close();
    this.channels.clear();
  }

  /** Values from now on, after `first` when given, until `end()` or `signal` fires. */
  listen(first: T | null, signal?: AbortSignal): AsyncGenerator<T> {
    const channel = new EventChannel<T>();
    if (first !== null) channel.push(first);
    if (this.ended) channel.close();
    else this.channels.add(channel);
    const channels = this.channels;
    const leave = () => {
      channels.delete(channel);
      channel.close();
    };
    if (signal?.aborted) leave();
    else signal?.addEventListener("abort", leave, { once: true });
    return (async function* () {
      try {
        yield* channel.values();
      } finally {
        channels.delete(channel);
        signal?.removeEventListener("abort", leave);
      }
    })();
  }
}
