/**
 * Where the engine's resident memory goes: one fresh process per configuration, RSS (and its anonymous /
 * file-backed split from /proc/self/status) after each stage — tokenizer, ONNX session, warm-up, a 512-token
 * prompt + decode, a 2k context — and the process's peak. Memory does not drift with the machine's load
 * the way speed does, so single runs are meaningful.
 *
 *   npx tsx scripts/bench/memory-probe.ts --dir DIR [--threads 2] [--arena 0|1] [--prepack 0|1] [--tokenizer 0|1]
 *     [--ctx 2048 (0: stop after the warm-up)] [--chunk N]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    dir: { type: "string" },
    threads: { type: "string", default: "2" },
    arena: { type: "string" },
    prepack: { type: "string" },
    tokenizer: { type: "string", default: "1" },
    ctx: { type: "string", default: "2048" },
    chunk: { type: "string" },
  },
});
if (!values.dir) throw new Error("--dir is required");
const flag = (v: string | undefined) => (v === undefined ? undefined : v === "1");

function status(): Record<string, number> {
  const text = readFileSync("/proc/self/status", "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? NaN) / 1024;
  return { rss: kb("VmRSS"), anon: kb("RssAnon"), file: kb("RssFile"), hwm: kb("VmHWM") };
}
/** Resident MB of file mappings whose path contains `needle` (e.g. the model's external data, mmap'ed by ORT). */
function mappedMb(needle: string): number {
  let kb = 0;
  let inside = false;
  for (const line of readFileSync("/proc/self/smaps", "utf8").split("\n")) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inside = line.includes(needle);
    else if (inside && line.startsWith("Rss:")) kb += Number(line.split(/\s+/)[1]);
  }
  return Math.round(kb / 1024);
}
const rows: Record<string, unknown>[] = [];
function mark(stage: string): void {
  const s = status();
  const heap = process.memoryUsage();
  rows.push({ stage, rss: Math.round(s.rss), anon: Math.round(s.anon), file: Math.round(s.file), peak: Math.round(s.hwm), model_data: mappedMb("model.onnx.data"), ort_lib: mappedMb("onnxruntime"), v8_heap: Math.round(heap.heapUsed / 2 ** 20), external: Math.round(heap.external / 2 ** 20) });
}

mark("start");
if (values.tokenizer === "1") {
  const { loadTokenizer } = await import("@/server/runtime/load-tokenizer");
  const tok = await loadTokenizer(values.dir);
  tok.encode("Hello, world");
  mark("tokenizer");
}
const { loadOnnxRunner } = await import("@/server/runtime/onnx-runner");
const { DEFAULT_PREFILL_CHUNK, prefillInChunks } = await import("@/server/engine/generate");
const chunk = values.chunk ? Number(values.chunk) : DEFAULT_PREFILL_CHUNK;
const runner = await loadOnnxRunner(values.dir, { threads: Number(values.threads), memArena: flag(values.arena), prepacking: flag(values.prepack) });
mark("session");
await runner.forward([runner.info.bosTokenId]);
runner.truncate(0);
mark("warm-up (rss_loaded)");
if (values.ctx === "0") {
  console.log(JSON.stringify({ rows }));
  console.table(rows);
  process.exit(0);
}
const ids = (n: number) => Array.from({ length: n }, (_, i) => 1000 + ((i * 7919) % 120000));
// Chunks as the engine cuts them (shrinking at long contexts); --chunk sets the largest.
const prefill = (n: number) => prefillInChunks(runner, ids(n), chunk);
await prefill(512);
for (let i = 0; i < 16; i++) await runner.forward([1234]);
mark("512 + 16 decode");
runner.truncate(0);
await prefill(Number(values.ctx));
for (let i = 0; i < 16; i++) await runner.forward([1234]);
mark(`${values.ctx} + 16 decode`);
runner.truncate(0);
await runner.forward([1234]);
mark("after truncate(0) + 1");
console.log(JSON.stringify({ config: { arena: values.arena, prepack: values.prepack, tokenizer: values.tokenizer, chunk }, rows }));
console.table(rows);
await runner.dispose();
