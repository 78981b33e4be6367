/**
 * "The server's event loop kept answering `/api/health` throughout" an action: health is polled every
 * 10 ms while the action runs, and no answer may take longer than the bound. The bound is 100 ms on an idle
 * machine, scaled by the measured idle latency (the slowest health answer over 600 ms with nothing else
 * going on, compared with the ≤ 10 ms an idle machine shows), so a loaded CI machine does not make it flaky
 * while an event loop blocked for a second still fails.
 */
import { expect } from "vitest";

/** Polls /api/health until `until` settles; resolves with the slowest answer in ms. */
export async function slowestHealth(baseUrl: string, until: Promise<unknown>): Promise<number> {
  let done = false;
  void until.then(
    () => (done = true),
    () => (done = true),
  );
  let slowest = 0;
  while (!done) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/api/health`);
    await response.arrayBuffer();
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((r) => setTimeout(r, 10));
  }
  return slowest;
}

/** The slowest plain health answer over 600 ms with nothing else going on (the first call, which loads the route, not counted). */
export async function idleHealth(baseUrl: string): Promise<number> {
  await (await fetch(`${baseUrl}/api/health`)).arrayBuffer();
  return slowestHealth(baseUrl, new Promise((r) => setTimeout(r, 600)));
}

/** What an idle machine's slowest health answer takes (the reference the bound scales from). */
const IDLE_REFERENCE_MS = 10;
const idleByServer = new Map<string, Promise<number>>();

/** `boundMs` on an idle machine, proportionally more when health is slower than an idle machine's by itself. */
export async function healthBound(baseUrl: string, boundMs = 100): Promise<{ bound: number; idle: number }> {
  if (!idleByServer.has(baseUrl)) idleByServer.set(baseUrl, idleHealth(baseUrl));
  const idle = await idleByServer.get(baseUrl)!;
  return { bound: boundMs * Math.max(1, idle / IDLE_REFERENCE_MS), idle };
}

/** Runs `action` and asserts `/api/health` kept answering within the (scaled) bound throughout; returns the action's result. */
export async function expectHealthyThroughout<T>(baseUrl: string, what: string, action: () => Promise<T>, options: { boundMs?: number } = {}): Promise<T> {
  const { bound, idle } = await healthBound(baseUrl, options.boundMs);
  const running = action();
  const slowest = await slowestHealth(baseUrl, running);
  const result = await running;
  expect(slowest, `${what}: /api/health took ${slowest.toFixed(0)} ms (bound ${bound.toFixed(0)} ms; idle ${idle.toFixed(0)} ms)`).toBeLessThan(bound);
  return result;
}
