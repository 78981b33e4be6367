/**
 * Cost of the runtime's embedding lookup (server/runtime/embedding-rows.ts) on a converted model: one row
 * per decode step, 512 rows per prompt; random ids, page cache warm or cold as the machine has it.
 *
 *   npx tsx scripts/embedding-lookup-cost.ts --dir DIR [--reps 2000]
 */
import { parseArgs } from "node:util";
import { readManifest } from "@/server/checkpoint/onnx-manifest";
import { EmbeddingRows } from "@/server/runtime/embedding-rows";

const { values } = parseArgs({ options: { dir: { type: "string" }, reps: { type: "string", default: "2000" } } });
if (!values.dir) throw new Error("--dir is required");
const m = readManifest(values.dir);
const rows = new EmbeddingRows(values.dir, m);
const reps = Number(values.reps);
let x = 987654321;
const nextId = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % m.vocabSize;
const one = new Float32Array(m.hiddenSize);
const times: number[] = [];
for (let i = 0; i < reps; i++) {
  const t = process.hrtime.bigint();
  rows.read([nextId()], one);
  times.push(Number(process.hrtime.bigint() - t) / 1e3);
}
times.sort((a, b) => a - b);
const prompt = Array.from({ length: 512 }, nextId);
const block = new Float32Array(512 * m.hiddenSize);
const prefill: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  rows.read(prompt, block);
  prefill.push(performance.now() - t);
}
rows.close();
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
console.log(JSON.stringify({ bits: m.embeddingBits, hidden: m.hiddenSize, one_row_us: { median: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1) }, rows_512_ms: prefill.map((v) => +v.toFixed(2)) }));
