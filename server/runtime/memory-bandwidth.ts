/**
 * This machine's memory bandwidth, for the efficiency meter: a short, bounded copy benchmark (the
 * STREAM "copy" kernel) run once per process on first use and cached. One worker thread per core copies
 * its own buffers, larger than any CPU cache, so the figure is what all cores together get from DRAM;
 * it runs off the event loop, so requests and streams keep flowing meanwhile. Bytes counted as STREAM
 * does: each copied byte is read once and written once.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";

export interface MemoryBandwidth {
  /** Bytes per second read + written, all threads together (best of the repetitions). */
  bytesPerSecond: number;
  threads: number;
  /** Bytes each thread copied per repetition. */
  bufferBytes: number;
  measuredAt: string;
}

// Inline source: Next bundles server code, so a worker file path would not survive the build.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { bytes, repetitions } = workerData;
const src = new Float64Array(bytes / 8);
const dst = new Float64Array(bytes / 8);
for (let i = 0; i < src.length; i += 512) src[i] = i; // touch every page before timing
dst.set(src);
parentPort.postMessage("ready");
parentPort.once("message", () => {
  const times = [];
  for (let r = 0; r < repetitions; r += 1) {
    const t0 = performance.now();
    dst.set(src);
    times.push(performance.now() - t0);
  }
  parentPort.postMessage(times);
});
`;

export async function measureMemoryBandwidth(options: { threads?: number; bufferBytes?: number; repetitions?: number } = {}): Promise<MemoryBandwidth> {
  const threads = options.threads ?? os.availableParallelism();
  const bufferBytes = options.bufferBytes ?? 64 * 1024 * 1024;
  const repetitions = options.repetitions ?? 4;
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_SOURCE, { eval: true, workerData: { bytes: bufferBytes, repetitions } }));
  try {
    const message = (w: Worker) =>
      new Promise<unknown>((resolve, reject) => {
        w.once("message", resolve);
        w.once("error", reject);
      });
    await Promise.all(workers.map(message));
    // Start all threads together so they compete for memory as inference threads do.
    const results = workers.map(message);
    for (const w of workers) w.postMessage("go");
    const times = (await Promise.all(results)) as number[][];
    let best = Infinity;
    for (let r = 0; r < repetitions; r += 1) best = Math.min(best, Math.max(...times.map((t) => t[r])));
    return { bytesPerSecond: (2 * bufferBytes * threads) / (best / 1000), threads, bufferBytes, measuredAt: new Date().toISOString() };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const globalForBandwidth = globalThis as typeof globalThis & { __bitnetMemoryBandwidth?: Promise<MemoryBandwidth> };

/** Measured on the first call, then the same answer for the life of the process. */
export function memoryBandwidth(): Promise<MemoryBandwidth> {
  globalForBandwidth.__bitnetMemoryBandwidth ??= measureMemoryBandwidth().catch((error: unknown) => {
    globalForBandwidth.__bitnetMemoryBandwidth = undefined;
    throw error;
  });
  return globalForBandwidth.__bitnetMemoryBandwidth;
}
