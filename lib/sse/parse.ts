/**
 * Browser-side SSE reader for `fetch` bodies (EventSource cannot POST). Hand-written rather than a
 * dependency because it is ~60 lines of the WHATWG "interpret an event stream" rules and must run
 * both in the browser and in Node tests: lines end in LF, CR or CRLF; `data` lines are joined with
 * "\n"; lines starting with ":" are comments; a blank line dispatches. Bytes are decoded with a
 * streaming TextDecoder so a multi-byte character split across chunks stays whole.
 */
export interface SseFrame {
  event: string;
  data: string;
}

export class SseLineParser {
  private buffer = "";
  private pendingCr = false;
  private event = "";
  private data: string[] = [];
  private hasData = false;

  /** Feeds decoded text; returns the frames completed by it. */
  push(text: string): SseFrame[] {
    const frames: SseFrame[] = [];
    let chunk = text;
    // A CR at the end of the previous chunk already ended its line; skip the LF of that CRLF.
    if (this.pendingCr && chunk.startsWith("\n")) chunk = chunk.slice(1);
    this.pendingCr = false;
    this.buffer += chunk;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i += 1) {
      const ch = this.buffer[i];
      if (ch !== "\n" && ch !== "\r") continue;
      this.line(this.buffer.slice(start, i), frames);
      if (ch === "\r") {
        if (i + 1 === this.buffer.length) this.pendingCr = true;
        else if (this.buffer[i + 1] === "\n") i += 1;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return frames;
  }

  private line(line: string, frames: SseFrame[]): void {
    if (line === "") {
      if (this.hasData) frames.push({ event: this.event || "message", data: this.data.join("\n") });
      this.event = "";
      this.data = [];
      this.hasData = false;
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") {
      this.data.push(value);
      this.hasData = true;
    }
    // `id` and `retry` only matter to EventSource reconnection, which fetch streams do not do.
  }
}

/**
 * Yields every complete frame; ends when the body ends or `signal` aborts (an unfinished frame is
 * dropped). Stopping the iteration early cancels the body.
 */
export async function* readSseStream(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseFrame> {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  const parser = new SseLineParser();
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  let ended = false;
  try {
    if (signal?.aborted) return;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      yield* parser.push(decoder.decode(value, { stream: true }));
      if (signal?.aborted) return;
    }
    if (signal?.aborted) return;
    yield* parser.push(decoder.decode());
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // A consumer that stops early (break) is done with the response: cancel it so the server sees it.
    if (!ended) void reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
