/**
 * A repository module (functions taking the database first) as an object of Promise-returning
 * methods with that database bound: how both stores expose their repositories through the Store
 * interface, each running the calls as its dialect needs (`run`).
 */
export type Bound<M, D> = {
  [K in keyof M]: M[K] extends (db: D, ...rest: infer A) => infer R ? (...rest: A) => Promise<Awaited<R>> : never;
};

export function bindRepo<M extends Record<string, unknown>, D>(repo: M, db: D, run: <T>(work: () => T | Promise<T>) => Promise<T>): Bound<M, D> {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(repo)) {
    if (typeof fn === "function") bound[name] = (...args: unknown[]) => run(() => (fn as (...a: unknown[]) => unknown)(db, ...args));
  }
  return bound as Bound<M, D>;
}
