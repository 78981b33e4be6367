/**
 * One download per repo cache at a time, across processes (`bitnet pull` next to a running server):
 * two writers appending to the same `.partial` would corrupt it. proper-lockfile keeps the lock fresh
 * while held and treats it as stale when its owner died, so a crash never blocks the cache for good.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { lock } from "proper-lockfile";
import { abortedError, errorCode } from "./hub-error";

const POLL_MS = 1_000;

export async function lockRepoCache(
  dir: string,
  options: { signal?: AbortSignal; onWaiting?: () => void } = {},
): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  let announced = false;
  for (;;) {
    if (options.signal?.aborted) throw abortedError();
    try {
      const release = await lock(dir, {
        realpath: false,
        lockfilePath: path.join(dir, ".download.lock"),
        stale: 30_000,
        // The default rethrows from a timer, which would crash the server; the hash check still guards the files.
        onCompromised: () => {},
      });
      return () => release().catch(() => {});
    } catch (error) {
      if (errorCode(error) !== "ELOCKED") throw error;
      if (!announced) options.onWaiting?.();
      announced = true;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
