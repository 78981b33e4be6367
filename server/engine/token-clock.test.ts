/** The one definition of time to first token and decode speed that the engine, the chat meter and remote stats share. */
import { describe, expect, it } from "vitest";
import { perSecond, TokenClock } from "./token-clock";

describe("TokenClock", () => {
  it("measures from the start to the first token, and decode speed from the first token to the last", () => {
    const clock = new TokenClock(1000);
    expect(clock.ttftMs).toBeNull();
    expect(clock.decodeTokPerS()).toBe(0);
    clock.tick(1250);
    expect(clock.ttftMs).toBe(250);
    expect(clock.decodeTokPerS()).toBe(0); // one token: no decode interval yet
    clock.tick(1300);
    clock.tick(1350);
    clock.tick(1450);
    expect(clock.count).toBe(4);
    expect(clock.ttftMs).toBe(250);
    expect(clock.decodeTokPerS()).toBe(15); // 3 tokens after the first in 200 ms
    // A remote worker's count (its usage) over the time to the end of its stream.
    expect(clock.decodeTokPerS(11, 1750)).toBe(20);
  });

  it("perSecond is 0 for no count or no time", () => {
    expect(perSecond(512, 4000)).toBe(128);
    expect(perSecond(0, 100)).toBe(0);
    expect(perSecond(5, 0)).toBe(0);
  });
});
