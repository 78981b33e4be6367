/**
 * OpenAI-style `stop` strings over streamed text: generation ends before the first occurrence, and no
 * part of it is ever emitted. Text that could be the start of a stop string is held back until the
 * following text rules it in or out.
 */
export interface StopCheck {
  /** Text now safe to emit. */
  text: string;
  /** True once a stop string occurred; everything from it on is dropped. */
  stopped: boolean;
}

export class StopStringMatcher {
  private readonly stops: string[];
  private held = "";
  private stopped = false;

  constructor(stops: readonly string[] | undefined) {
    this.stops = (stops ?? []).filter((s) => s.length > 0);
  }

  push(piece: string): StopCheck {
    if (this.stopped) return { text: "", stopped: true };
    if (this.stops.length === 0) return { text: piece, stopped: false };
    const buffer = this.held + piece;
    let first = -1;
    for (const stop of this.stops) {
      const at = buffer.indexOf(stop);
      if (at !== -1 && (first === -1 || at < first)) first = at;
    }
    if (first !== -1) {
      this.stopped = true;
      this.held = "";
      return { text: buffer.slice(0, first), stopped: true };
    }
    const keep = this.longestPossibleStart(buffer);
    this.held = buffer.slice(buffer.length - keep);
    return { text: buffer.slice(0, buffer.length - keep), stopped: false };
  }

  /** The held-back text once the stream ends without a stop string. */
  flush(): string {
    const rest = this.held;
    this.held = "";
    return this.stopped ? "" : rest;
  }

  /** True while text that may start a stop string is held back. */
  get holding(): boolean {
    return this.held.length > 0;
  }

  get hasStopped(): boolean {
    return this.stopped;
  }

  /** Length of the longest suffix of `buffer` that is a proper prefix of some stop string. */
  private longestPossibleStart(buffer: string): number {
    let best = 0;
    for (const stop of this.stops) {
      const max = Math.min(stop.length - 1, buffer.length);
      for (let len = max; len > best; len--) {
        if (buffer.endsWith(stop.slice(0, len))) {
          best = len;
          break;
        }
      }
    }
    return best;
  }
}
