/**
 * Work that must finish before the process exits (an answer being saved after its generation stopped),
 * and whether the server is shutting down. On `globalThis`: Next bundles instrumentation (which runs the
 * shutdown), proxy.ts and each route with their own copy of this module.
 */
interface LifecycleState {
  work: Set<Promise<unknown>>;
  shuttingDown: boolean;
}

const holder = globalThis as typeof globalThis & { __bitnetLifecycle?: LifecycleState };

function state(): LifecycleState {
  holder.__bitnetLifecycle ??= { work: new Set(), shuttingDown: false };
  return holder.__bitnetLifecycle;
}

/** Registers `promise` until it settles; returns it. */
export function trackInFlight<T>(promise: Promise<T>): Promise<T> {
  const { work } = state();
  work.add(promise);
  const forget = () => work.delete(promise);
  promise.then(forget, forget);
  return promise;
}

/** Resolves once everything registered (now or while waiting) has settled. */
export async function inFlightSettled(): Promise<void> {
  const { work } = state();
  while (work.size > 0) await Promise.allSettled([...work]);
}

export function isShuttingDown(): boolean {
  return state().shuttingDown;
}

export function markShuttingDown(): void {
  state().shuttingDown = true;
}
