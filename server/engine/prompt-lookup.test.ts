import { describe, expect, it } from "vitest";
import { DraftLength, lookupDraft } from "./prompt-lookup";

describe("lookupDraft", () => {
  it("proposes what followed the most recent earlier occurrence of the longest matching suffix", () => {
    // suffix [1, 2, 3] occurred at 0 (followed by 9, 9) and at 5 (followed by 7, 8): the newest wins.
    expect(lookupDraft([1, 2, 3, 9, 9, 1, 2, 3, 7, 8, 4, 1, 2, 3], 2)).toEqual([7, 8]);
    // a 3-gram match beats a newer 1-gram one
    expect(lookupDraft([5, 6, 7, 1, 2, 7, 0, 5, 6, 7], 3)).toEqual([1, 2, 7]);
  });

  it("continues a match that runs into the end of the text as a repeating pattern", () => {
    // the newest "x x x" ends one token before the end: without the periodic copy the draft would be [7]
    expect(lookupDraft([1, 7, 7, 7, 7], 5)).toEqual([7, 7, 7, 7, 7]);
    expect(lookupDraft([4, 5, 6, 4], 7)).toEqual([5, 6, 4, 5, 6, 4, 5]);
    expect(lookupDraft([1, 2, 1, 2, 1], 4)).toEqual([2, 1, 2, 1]);
  });

  it("caps the draft at k, and finds nothing without a match", () => {
    expect(lookupDraft([9, 4, 5, 6, 7, 4], 2)).toEqual([5, 6]);
    expect(lookupDraft([1, 2, 3, 4], 3)).toEqual([]);
    expect(lookupDraft([1, 2, 1], 0)).toEqual([]);
    expect(lookupDraft([], 3)).toEqual([]);
  });
});

describe("DraftLength", () => {
  it("drafts more while drafts are accepted, and stops (but for rare probes) when they are rejected", () => {
    const d = new DraftLength();
    for (let i = 0; i < 10; i++) d.record(d.next() || 1, d.next() || 1);
    expect(d.next()).toBeGreaterThanOrEqual(4);
    const bad = new DraftLength();
    for (let i = 0; i < 10; i++) bad.record(2, 0);
    const ks = Array.from({ length: 32 }, () => bad.next());
    expect(ks.filter((k) => k > 0).length).toBe(2); // one 1-token probe per 16 steps
    expect(Math.max(...ks)).toBe(1);
  });
});
