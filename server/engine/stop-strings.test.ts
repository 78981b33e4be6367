import { describe, expect, it } from "vitest";
import { StopStringMatcher } from "./stop-strings";

function run(stops: string[], pieces: string[]): { out: string[]; stopped: boolean; rest: string } {
  const m = new StopStringMatcher(stops);
  const out: string[] = [];
  let stopped = false;
  for (const p of pieces) {
    const r = m.push(p);
    out.push(r.text);
    if (r.stopped) {
      stopped = true;
      break;
    }
  }
  return { out, stopped, rest: m.flush() };
}

describe("StopStringMatcher", () => {
  it("passes text through without stop strings", () => {
    expect(run([], ["a", "b"]).out).toEqual(["a", "b"]);
  });

  it("ends before a stop string split across pieces and never emits part of it", () => {
    const r = run(["\nUser:"], ["Hello", "\nUs", "er", ": more"]);
    expect(r.stopped).toBe(true);
    expect(r.out.join("")).toBe("Hello");
    expect(r.out).toEqual(["Hello", "", "", ""]);
  });

  it("releases held text once it cannot be a stop string", () => {
    const r = run(["STOP"], ["ab S", "T", "x"]);
    expect(r.stopped).toBe(false);
    expect(r.out).toEqual(["ab ", "", "STx"]);
  });

  it("flushes a held possible prefix at the end of the stream", () => {
    const r = run(["STOP"], ["abc ST"]);
    expect(r.out).toEqual(["abc "]);
    expect(r.rest).toBe("ST");
  });

  it("stops at the earliest of several stop strings", () => {
    const r = run(["world", "lo w"], ["hello world"]);
    expect(r.out.join("")).toBe("hel");
  });

  it("handles a stop string inside one piece with text after it", () => {
    const r = run(["."], ["One. Two."]);
    expect(r.out.join("")).toBe("One");
    expect(r.rest).toBe("");
  });
});
