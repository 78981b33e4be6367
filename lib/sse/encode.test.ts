import { describe, expect, it } from "vitest";
import { SSE_HEADERS, SSE_HEARTBEAT, encodeSseData, encodeSseEvent } from "./encode";

describe("encodeSseEvent", () => {
  it("frames one event as event line, one data line, blank line", () => {
    expect(encodeSseEvent("token", { text: "hi", id: 7 })).toBe('event: token\ndata: {"text":"hi","id":7}\n\n');
  });

  it("keeps newlines inside the data escaped on one line", () => {
    const frame = encodeSseEvent("token", { text: "a\nb\r\nc" });
    expect(frame.split("\n")).toHaveLength(4);
    expect(JSON.parse(frame.split("\n")[1].slice("data: ".length))).toEqual({ text: "a\nb\r\nc" });
  });

  it("refuses an event name or a data line that would break the framing", () => {
    expect(() => encodeSseEvent("bad\nname", {})).toThrow();
    expect(() => encodeSseData("two\nlines")).toThrow();
  });

  it("frames unnamed data lines (OpenAI's stream) the same way", () => {
    expect(encodeSseData("[DONE]")).toBe("data: [DONE]\n\n");
    expect(encodeSseEvent("x", { a: 1 })).toBe("event: x\n" + encodeSseData('{"a":1}'));
  });

  it("heartbeat is a comment and headers disable buffering", () => {
    expect(SSE_HEARTBEAT).toBe(": ping\n\n");
    expect(SSE_HEADERS["Content-Type"]).toMatch(/^text\/event-stream/);
    expect(SSE_HEADERS["Cache-Control"]).toBe("no-cache, no-transform");
    expect(SSE_HEADERS["X-Accel-Buffering"]).toBe("no");
  });
});
