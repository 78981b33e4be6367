// How the engine process's RSS settles after a model load: loads DIR as `bitnet bench` does (transformers.js
// imported natively, then tsx for our TypeScript), then prints RSS and V8's heap pages every 0.5 s for 12 s.
// For the state before loadEngine collected its garbage (server/runtime/collect-garbage.ts), run it from a
// checkout of 66fa326. Measurements: docs/performance.md "The tokenizer's parse garbage".
//
//   node scripts/load-settle.mjs DIR
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";

const rssMb = () => Math.round(Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync("/proc/self/status", "utf8"))[1]) / 1024);
const heapMb = () => Math.round(v8.getHeapStatistics().total_heap_size / 2 ** 20);
const dir = process.argv[2];
if (!dir) throw new Error("usage: node scripts/load-settle.mjs DIR");

await import("@huggingface/transformers");
const { register } = await import("tsx/esm/api");
register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { loadEngine } = await import("../server/engine/load-engine.ts");
const loaded = await loadEngine(dir, { threads: 2 });
const rows = [`loaded ${rssMb()} MB (heap pages ${heapMb()} MB)`];
for (let i = 1; i <= 24; i++) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  rows.push(`${i / 2}s ${rssMb()} (${heapMb()})`);
}
console.log(rows.join(" | "));
await loaded.dispose();
