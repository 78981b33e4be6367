/**
 * Tokenizes a long text in slices with a break for the event loop between them, so a 30,000-character
 * message does not stall every other request (transformers.js tokenizes at roughly 15 µs a character).
 *
 * Slices end only where the Llama 3 pre-tokenizer itself starts a new piece whatever comes next — before
 * " word" after a non-space character, or before a word that follows a newline — so the concatenated ids
 * are exactly those of the whole text (tested). A single piece with no such point (one 30k-letter "word")
 * is tokenized in one go.
 *
 * Slices of every request go through one lane, one at a time and each after a turn of the event loop: several
 * requests with a long "word" each (≈ 10 µs a letter: 32,000 letters ≈ 0.3–0.6 s) would otherwise be tokenized
 * back to back in one turn, seconds in all, while `/api/health` and every stream waited.
 */

const SAFE_SPLIT = /(?<=\S)(?= \p{L})|(?<=\n)(?=\p{L})/gu;

/** ~1,500 characters tokenize in about 20–40 ms on a loaded 2-core machine. */
export const SLICE_CHARS = 1_500;

export function safeSlices(text: string, sliceChars: number = SLICE_CHARS): string[] {
  if (text.length <= sliceChars) return [text];
  const slices: string[] = [];
  let start = 0;
  while (text.length - start > sliceChars) {
    SAFE_SPLIT.lastIndex = start + sliceChars;
    const match = SAFE_SPLIT.exec(text);
    if (!match) break;
    slices.push(text.slice(start, match.index));
    start = match.index;
  }
  slices.push(text.slice(start));
  return slices;
}

const breather = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs work one piece at a time (an async queue of one), each after a turn of the event loop and, when the
 * previous piece ended less than its own duration ago, the rest of that time: the loop gets at least half of it. One loop turn is not enough after a long piece: a request
 * needs several turns (connection, headers, routing, the database, the response), and with a 0.1 s piece
 * between every two of them a health check took half a second; with the pause it waits for one piece at most.
 */
export class Lane {
  private tail: Promise<unknown> = Promise.resolve();
  /** The end of the rest the last piece earned: as long as it ran, counted from its end. */
  private restUntil = 0;

  run<T>(work: () => T): Promise<T> {
    const result = this.tail
      .then(() => this.pause())
      .then(() => {
        const started = performance.now();
        try {
          return work();
        } finally {
          const ended = performance.now();
          this.restUntil = ended + (ended - started);
        }
      });
    this.tail = result.catch(() => undefined);
    return result;
  }

  private pause(): Promise<void> {
    const rest = this.restUntil - performance.now();
    // After the rest, a turn still: a timer fires in the timers phase, which may come before this loop
    // iteration's I/O and immediates when the rest has already run out.
    return rest < 1 ? breather() : new Promise<void>((resolve) => setTimeout(resolve, rest)).then(breather);
  }
}

/** The process's one tokenizing lane (per-message encoding of every engine). */
const tokenizeLane = new Lane();

export async function encodeSliced(
  encode: (text: string) => number[],
  text: string,
  sliceChars: number = SLICE_CHARS,
  lane: Lane = tokenizeLane,
): Promise<number[]> {
  const ids: number[] = [];
  for (const slice of safeSlices(text, sliceChars)) {
    for (const id of await lane.run(() => encode(slice))) ids.push(id);
  }
  return ids;
}
