/**
 * Incremental detokenization for streaming. Byte-level BPE tokens may hold part of a UTF-8 character
 * (an emoji or CJK character is often split over 2–4 tokens); decoding such a tail yields U+FFFD, so
 * the new text is held back until the character completes. Text is computed as decode(window) minus
 * decode(prefix of the window) — the method of Hugging Face's text-generation-inference — so tokenizers
 * whose decoders treat the first token specially (leading-space stripping) still stream exactly.
 * Invariant: the concatenation of everything `push` and `flush` return equals decode(all ids).
 */
export type DecodeFn = (ids: number[]) => string;

/** How many already-emitted tokens are re-decoded as context in front of the new ones. */
const CONTEXT_TOKENS = 4;

export class Detokenizer {
  private readonly ids: number[] = [];
  /** ids[prefixStart, readStart) were emitted already and serve as decoding context. */
  private prefixStart = 0;
  private readStart = 0;
  /** Text emitted so far, to verify the window's decoding really extends it (see `push`). */
  private emitted = "";

  constructor(private readonly decode: DecodeFn) {}

  /** Adds one token; returns the text that became final (often the token's text, "" while held back). */
  push(id: number): string {
    this.ids.push(id);
    const window = this.ids.slice(this.prefixStart);
    const prefixText = this.decode(this.ids.slice(this.prefixStart, this.readStart));
    const text = this.decode(window);
    if (text.endsWith("\uFFFD") || !text.startsWith(prefixText)) return "";
    const piece = text.slice(prefixText.length);
    this.readStart = this.ids.length;
    this.prefixStart = Math.max(this.prefixStart, this.readStart - CONTEXT_TOKENS);
    this.emitted += piece;
    return piece;
  }

  /** Ends the stream: returns whatever was held back (possibly ending in U+FFFD, exactly as decode(all) does). */
  flush(): string {
    const full = this.decode(this.ids);
    const rest = full.startsWith(this.emitted) ? full.slice(this.emitted.length) : "";
    this.emitted = full.startsWith(this.emitted) ? full : this.emitted;
    this.readStart = this.prefixStart = this.ids.length;
    return rest;
  }

  /** True while pushed tokens have text not yet returned (an incomplete character). */
  get holding(): boolean {
    return this.readStart < this.ids.length;
  }

  /** Every id pushed so far. */
  get tokenIds(): readonly number[] {
    return this.ids;
  }
}
