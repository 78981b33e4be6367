/**
 * One full V8 garbage collection, for after a model load. Parsing tokenizer.json and building the
 * tokenizer's maps leaves ≈ 50 MB of garbage in the heap, and V8 keeps the pages it grew into until a
 * memory-reducing collection — which it schedules only after a GC it sees the process idle behind. A load
 * is a one-off, so one forced collection there is cheap (≈ 25 ms): measured, the idle process's RSS
 * settles ≈ 65 MB lower within ≈ 10 s (docs/performance.md "Memory after load").
 *
 * `gc` exists only with --expose-gc; turning the flag on at run time and taking `gc` from a fresh context
 * is the way Jest's leak detector does it. Where that is not possible the collection is skipped: it is
 * an optimization, never needed for correctness.
 */
import v8 from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | null | undefined;

export function collectGarbage(): boolean {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString("--expose-gc");
      gc = runInNewContext("gc") as () => void;
    } catch {
      gc = null;
    }
  }
  if (!gc) return false;
  gc();
  return true;
}
