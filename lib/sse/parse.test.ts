import { describe, expect, it } from "vitest";
import { encodeSseEvent } from "./encode";
import { readSseStream, type SseFrame } from "./parse";

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<SseFrame[]> {
  const frames: SseFrame[] = [];
  for await (const frame of readSseStream(body, signal)) frames.push(frame);
  return frames;
}

/** Every split of the byte string into two chunks, plus one byte per chunk. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  const result: Uint8Array[][] = [Array.from(bytes, (b) => Uint8Array.of(b))];
  for (let i = 1; i < bytes.length; i += 1) result.push([bytes.slice(0, i), bytes.slice(i)]);
  return result;
}

const text = new TextEncoder();

describe("readSseStream", () => {
  it("parses named events and ignores comments", async () => {
    const wire = ": ping\n\n" + encodeSseEvent("start", { a: 1 }) + ": ping\n\n" + encodeSseEvent("token", { text: "x" });
    expect(await collect(streamOf([text.encode(wire)]))).toEqual([
      { event: "start", data: '{"a":1}' },
      { event: "token", data: '{"text":"x"}' },
    ]);
  });

  it("handles a chunk boundary anywhere, including inside multi-byte characters and CRLF", async () => {
    const wire = text.encode('event: token\r\ndata: {"text":"héllo 👋 世界"}\r\n\r\nevent: done\rdata: {}\r\r');
    const expected = [
      { event: "token", data: '{"text":"héllo 👋 世界"}' },
      { event: "done", data: "{}" },
    ];
    for (const chunks of splits(wire)) expect(await collect(streamOf(chunks))).toEqual(expected);
  });

  it("joins multi-line data with newlines and defaults the event name to message", async () => {
    const wire = "data: line one\ndata:line two\ndata\n\n";
    expect(await collect(streamOf([text.encode(wire)]))).toEqual([{ event: "message", data: "line one\nline two\n" }]);
  });

  it("drops an unterminated last frame and frames without data", async () => {
    const wire = "event: lonely\n\nevent: token\ndata: {}\n\nevent: cut\ndata: {";
    expect(await collect(streamOf([text.encode(wire)]))).toEqual([{ event: "token", data: "{}" }]);
  });

  it("stops when the signal aborts", async () => {
    const controller = new AbortController();
    let enqueue: ((chunk: Uint8Array) => void) | undefined;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (enqueue = (chunk) => c.enqueue(chunk)) });
    const frames: SseFrame[] = [];
    const done = (async () => {
      for await (const frame of readSseStream(body, controller.signal)) {
        frames.push(frame);
        controller.abort();
      }
    })();
    enqueue!(text.encode(encodeSseEvent("token", { n: 1 })));
    await done;
    expect(frames).toHaveLength(1);
  });
});
