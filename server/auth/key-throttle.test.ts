import { describe, expect, it } from "vitest";
import { DEFAULT_THROTTLE, isTooManyAttempts, KeyThrottle, throttleOptionsFromEnv, type KeyThrottleOptions } from "./key-throttle";

/** A throttle whose sleeps are logged and take one macrotask, and whose clock the test moves. */
function harness(options: Partial<KeyThrottleOptions> = {}) {
  const log: string[] = [];
  let now = 1_000_000;
  const throttle = new KeyThrottle({
    ...DEFAULT_THROTTLE,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    ...options,
    now: () => now,
    sleep: async (ms) => {
      log.push(`sleep ${ms}`);
      await new Promise((resolve) => setTimeout(resolve, 0));
      log.push("woke");
    },
  });
  const guess = (address: string, right: boolean) =>
    throttle.check(address, () => {
      log.push(right ? "right" : "wrong");
      return right;
    });
  return { throttle, log, guess, advance: (ms: number) => (now += ms) };
}

describe("key throttle", () => {
  it("doubles the delay with each consecutive wrong key, up to the cap", async () => {
    const { guess, log } = harness();
    for (let i = 0; i < 6; i++) expect(await guess("10.0.0.1", false)).toBe(false);
    expect(log.filter((l) => l.startsWith("sleep"))).toEqual(["sleep 100", "sleep 200", "sleep 400", "sleep 800", "sleep 1000", "sleep 1000"]);
  });

  it("checks parallel guesses of one address one at a time, each after the previous one's delay", async () => {
    const { guess, log } = harness();
    const results = await Promise.all(Array.from({ length: 5 }, () => guess("10.0.0.1", false)));
    expect(results).toEqual([false, false, false, false, false]);
    // Never two checks before a delay has passed: wrong, sleep, woke, wrong, sleep, woke …
    expect(log).toEqual(["wrong", "sleep 100", "woke", "wrong", "sleep 200", "woke", "wrong", "sleep 400", "woke", "wrong", "sleep 800", "woke", "wrong", "sleep 1000", "woke"]);
  });

  it("keeps addresses apart", async () => {
    const { guess, throttle } = harness();
    await Promise.all([guess("10.0.0.1", false), guess("10.0.0.1", false), guess("10.0.0.2", false)]);
    expect([throttle.failuresOf("10.0.0.1"), throttle.failuresOf("10.0.0.2")]).toEqual([2, 1]);
  });

  it("lets the right key in after the wrong ones ahead of it, and then starts counting afresh", async () => {
    const { guess, log, throttle } = harness();
    const [a, b, right] = await Promise.all([guess("10.0.0.1", false), guess("10.0.0.1", false), guess("10.0.0.1", true)]);
    expect([a, b, right]).toEqual([false, false, true]);
    expect(log).toEqual(["wrong", "sleep 100", "woke", "wrong", "sleep 200", "woke", "right"]);
    expect(throttle.failuresOf("10.0.0.1")).toBe(0);
    log.length = 0;
    await guess("10.0.0.1", false);
    expect(log).toEqual(["wrong", "sleep 100", "woke"]);
  });

  it("refuses, without checking, more than maxWaiting attempts of one address at once", async () => {
    const { guess, log } = harness({ maxWaiting: 3 });
    const settled = await Promise.allSettled(Array.from({ length: 5 }, () => guess("10.0.0.1", false)));
    const refused = settled.filter((s) => s.status === "rejected");
    expect(refused).toHaveLength(2);
    expect(refused.every((s) => isTooManyAttempts(s.reason) && s.reason.retryAfterS >= 1)).toBe(true);
    expect(log.filter((l) => l === "wrong")).toHaveLength(3);
    // Once the line is empty again, the address may try again.
    expect(await guess("10.0.0.1", true)).toBe(true);
  });

  it("remembers at most maxAddresses addresses, forgetting the one idle longest", async () => {
    const { guess, throttle } = harness({ maxAddresses: 3 });
    for (const address of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) await guess(address, false);
    await guess("10.0.0.1", false); // now the most recently used
    await guess("10.0.0.4", false);
    expect(throttle.size).toBe(3);
    expect([1, 2, 3, 4].map((n) => throttle.failuresOf(`10.0.0.${n}`))).toEqual([2, 0, 1, 1]);
  });

  it("forgets an address after forgetAfterMs without attempts", async () => {
    const { guess, throttle, advance } = harness({ forgetAfterMs: 60_000 });
    await guess("10.0.0.1", false);
    await guess("10.0.0.2", false);
    advance(59_000);
    await guess("10.0.0.2", false);
    expect(throttle.size).toBe(2);
    advance(2_000);
    await guess("10.0.0.3", false);
    expect(throttle.failuresOf("10.0.0.1")).toBe(0);
    expect(throttle.size).toBe(2);
  });

  it("reads BITNET_AUTH_DELAY_MS (the cap is 60 times it)", () => {
    expect(throttleOptionsFromEnv(undefined)).toEqual(DEFAULT_THROTTLE);
    expect(DEFAULT_THROTTLE).toMatchObject({ baseDelayMs: 500, maxDelayMs: 30_000, maxWaiting: 128, maxAddresses: 10_000, forgetAfterMs: 900_000 });
    expect(throttleOptionsFromEnv("2")).toMatchObject({ baseDelayMs: 2, maxDelayMs: 120 });
    for (const bad of ["0", "-1", "1.5", "abc", "60001"]) expect(() => throttleOptionsFromEnv(bad), bad).toThrow(/BITNET_AUTH_DELAY_MS/);
  });
});
