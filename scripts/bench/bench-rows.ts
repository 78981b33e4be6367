/**
 * What does a forward pass with M rows cost? (issue 12, item 1). Two workloads per (context L, M):
 *  - "tokens": M new tokens of ONE sequence after L cached positions (what a speculative verify costs);
 *  - "seqs":   M separate sequences, one new token each, each with its own L cached positions, run as
 *              one pass of the batched graph (converter 5: R = M rows, each attending only its own cache;
 *              the linears see M tokens) — what continuous batching costs.
 * Every pass keeps the logits of all M rows (both uses need them). Cells are measured interleaved
 * (round-robin over all cells, `--reps` rounds) so load from other processes spreads evenly; the table
 * reports the median. Drives the session directly with random cache contents (speed does not depend on them).
 *
 *   npx tsx scripts/bench/bench-rows.ts --dir /work/models/2b-onnx-base --threads 2 --reps 5
 *   npx tsx scripts/bench/bench-rows.ts --dir /work/models/2b-onnx-base --invariance   # same logits for M rows vs 1?
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import ort from "onnxruntime-node";
import { graphName, readManifest } from "@/server/checkpoint/onnx-manifest";
import { loadOnnxRunner } from "@/server/runtime/onnx-runner";
import { sessionOptions } from "@/server/runtime/session-options";
import { createRng } from "@/lib/seeded-rng";
import { EmbeddingRows } from "@/server/runtime/embedding-rows";

const { values } = parseArgs({
  options: {
    dir: { type: "string", default: "/work/models/2b-onnx-base" },
    threads: { type: "string", default: "2" },
    reps: { type: "string", default: "5" },
    ms: { type: "string", default: "1,2,3,4,6,8,12,16" },
    ctxs: { type: "string", default: "16,512,2048" },
    "max-pool": { type: "string", default: "16384" },
    invariance: { type: "boolean", default: false },
  },
});
const dir = values.dir!;
const threads = Number(values.threads);
const Ms = values.ms!.split(",").map(Number);
const ctxs = values.ctxs!.split(",").map(Number);
const maxPool = Number(values["max-pool"]);
const m = readManifest(dir);

if (values.invariance) {
  await invariance();
  process.exit(0);
}

const { numLayers, numKvHeads: nKV, headDim: D } = m;
const rep = m.numHeads / nKV;
// Worker threads that spin while waiting burn CPU that is not work; without spinning, CPU time per pass
// is a measure of the work that holds up better than wall time when other processes share the cores.
const options = sessionOptions({ threads });
options.extra = { ...(options.extra as object), session: { intra_op: { allow_spinning: "0" } } };
const session = await ort.InferenceSession.create(path.join(dir, "model.onnx"), options);

// Distinct buffers per (layer, k|v), as the runner has: the attention streams them from memory.
const rng = createRng(12345, "bench-rows");
const rand = () => rng.uniform(-0.1, 0.1);
const alloc = () =>
  Array.from({ length: numLayers }, () => {
    const a = new Float32Array(nKV * maxPool * D);
    for (let i = 0; i < a.length; i++) a[i] = rand();
    return a;
  });
const keys = alloc();
// (max-pool positions per layer buffer: M sequences × L positions must fit.)
const values_ = alloc();

const embedding = new EmbeddingRows(dir, m);
function embedRows(ids: number[]): Float32Array {
  const out = new Float32Array(ids.length * m.hiddenSize);
  embedding.read(ids, out);
  return out;
}

type Mode = "tokens" | "seqs" | "pair";
/**
 * "tokens": one row of M new tokens after L cached positions. "seqs": M rows (sequences) of one new token
 * each, row r attending only its own L cached positions (past [M, nKV, L, D], the converter-5 batched graph).
 * "pair": one token whose logits row is computed twice (the runner's even LM-head rows; M = 1 only).
 */
function feeds(mode: Mode, M: number, L: number): Record<string, ort.Tensor> {
  const R = mode === "seqs" ? M : 1;
  const S = mode === "seqs" ? 1 : M;
  const ids: number[] = [];
  const pos = new BigInt64Array(M);
  const flat = new BigInt64Array(M);
  for (let i = 0; i < M; i++) {
    ids.push((i * 7919 + L) % 128000);
    pos[i] = BigInt(mode === "seqs" ? L : L + i);
    flat[i] = BigInt(i);
  }
  const mask = new Float32Array(rep * S * S);
  for (let r = 0; r < rep; r++) for (let i = 0; i < S; i++) for (let j = i + 1; j < S; j++) mask[(r * S + i) * S + j] = -Infinity;
  const g = m.graph;
  const f: Record<string, ort.Tensor> = {
    [g.inputsEmbeds]: new ort.Tensor("float32", embedRows(ids), [1, M, m.hiddenSize]),
    [g.positionIds]: new ort.Tensor("int64", pos, [1, M]),
    [g.causalMask]: new ort.Tensor("float32", mask, [rep * S, S]),
    [g.logitsIndex]: mode === "pair" ? new ort.Tensor("int64", new BigInt64Array(2), [2]) : new ort.Tensor("int64", flat, [M]),
    [g.rowGather]: new ort.Tensor("int64", flat, [M]),
    [g.tokenGather]: new ort.Tensor("int64", flat, [M]),
    [g.pastMask]: new ort.Tensor("float32", new Float32Array(R * L), [R, L]),
  };
  // Contents are random, so the [R, nKV, L, D] prefix of each buffer serves as the past (no copy).
  for (let layer = 0; layer < numLayers; layer++) {
    f[graphName(g.pastKey, { layer })] = new ort.Tensor("float32", keys[layer].subarray(0, R * nKV * L * D), [R, nKV, L, D]);
    f[graphName(g.pastValue, { layer })] = new ort.Tensor("float32", values_[layer].subarray(0, R * nKV * L * D), [R, nKV, D, L]); // random contents: the transposed layout (converter 6) only changes the dims
  }
  return f;
}

const cells: { mode: Mode; M: number; L: number; times: number[]; cpu: number[] }[] = [];
for (const L of ctxs)
  for (const M of Ms)
    for (const mode of ["tokens", "seqs", "pair"] as Mode[]) {
      if (mode === "pair" && M !== 1) continue;
      if (mode === "seqs" && M * L > maxPool) continue;
      if (mode === "tokens" && L + M > maxPool) continue;
      cells.push({ mode, M, L, times: [], cpu: [] });
    }

const loadStart = os.loadavg()[0];
for (const c of cells) await session.run(feeds(c.mode, c.M, c.L)); // warm-up: every shape once
for (let r = 0; r < Number(values.reps); r++) {
  for (const c of cells) {
    const f = feeds(c.mode, c.M, c.L);
    const t = performance.now();
    const c0 = process.cpuUsage();
    await session.run(f);
    c.times.push(performance.now() - t);
    const used = process.cpuUsage(c0);
    c.cpu.push((used.user + used.system) / 1000);
  }
  console.error(`round ${r + 1} done, load ${os.loadavg()[0].toFixed(1)}`);
}
await session.release();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let metric: "times" | "cpu" = "times";
const ms = (mode: Mode, M: number, L: number) => {
  const c = cells.find((x) => x.mode === mode && x.M === M && x.L === L);
  return c ? median(c[metric]) : NaN;
};
console.log(`load average 1m: ${loadStart.toFixed(1)} at start, ${os.loadavg()[0].toFixed(1)} at end; ${values.reps} rounds, median ms`);
for (const [mode, m_] of [["tokens", "times"], ["seqs", "times"], ["pair", "times"], ["tokens", "cpu"], ["seqs", "cpu"], ["pair", "cpu"]] as [Mode, typeof metric][]) {
  metric = m_;
  const what = { tokens: "M new tokens of one sequence", seqs: "M sequences × 1 token (each row its own L past)", pair: "1 token, logits row computed twice" }[mode];
  console.log(`\n${what}: ${metric === "times" ? "wall" : "CPU (both threads)"} ms (× M = 1 same context)`);
  console.log(`| context | ${Ms.map((M) => `M = ${M}`).join(" | ")} |`);
  console.log(`|---|${Ms.map(() => "---").join("|")}|`);
  for (const L of ctxs) {
    const base = ms("tokens", 1, L);
    const row = Ms.map((M) => {
      const t = ms(mode, M, L);
      return Number.isNaN(t) ? "—" : `${t.toFixed(0)} (${(t / base).toFixed(2)}×)`;
    });
    console.log(`| ${L} | ${row.join(" | ")} |`);
  }
}
console.log(`\nJSON ${JSON.stringify(cells.map((c) => ({ mode: c.mode, M: c.M, L: c.L, median_ms: +median(c.times).toFixed(1), median_cpu_ms: +median(c.cpu).toFixed(1), times: c.times.map((t) => +t.toFixed(1)) })))}`);

/**
 * Are a sequence's logits the same however it is batched? Sequence A (16-token prompt, then 5 tokens one
 * at a time) is run alone, then again while sequence B runs beside it in the same passes (one token per pass,
 * and once a 16-token prompt chunk), and once as one 5-token pass (a speculative verify). Bit-equality per row.
 */
async function invariance(): Promise<void> {
  const runner = await loadOnnxRunner(dir, { threads });
  const V = runner.info.vocabSize;
  const prompt = Array.from({ length: 16 }, (_, i) => (i * 7919 + 5) % 128000);
  const other = Array.from({ length: 40 }, (_, i) => (i * 104729 + 11) % 128000);
  const next = [1000, 2000, 3000, 4000, 5000];
  const reset = () => {
    runner.truncateSlot(0, 0);
    runner.truncateSlot(1, 0);
  };
  const alone: Float32Array[] = [];
  reset();
  await runner.forward(prompt);
  for (const id of next) alone.push((await runner.forward([id])).slice());

  const compare = (label: string, rows: Float32Array[]) => {
    let worst = 0;
    let bitEqual = 0;
    let sameArgmax = 0;
    rows.forEach((row, t) => {
      let d = 0;
      let a1 = 0;
      let a2 = 0;
      for (let i = 0; i < V; i++) {
        d = Math.max(d, Math.abs(alone[t][i] - row[i]));
        if (alone[t][i] > alone[t][a1]) a1 = i;
        if (row[i] > row[a2]) a2 = i;
      }
      worst = Math.max(worst, d);
      if (d === 0) bitEqual++;
      if (a1 === a2) sameArgmax++;
    });
    console.log(JSON.stringify({ case: label, rows: rows.length, bit_equal_rows: bitEqual, same_argmax: sameArgmax, max_abs_diff: worst }));
  };

  // Beside B decoding one token per pass (B's prompt prefilled first in its own slot).
  reset();
  await runner.forwardBatch([{ slot: 1, ids: other.slice(0, 24) }]);
  await runner.forward(prompt);
  const beside: Float32Array[] = [];
  for (let t = 0; t < next.length; t++) {
    const [a] = await runner.forwardBatch([{ slot: 0, ids: [next[t]] }, { slot: 1, ids: [other[24 + t]] }]);
    beside.push(a.slice());
  }
  compare("beside one decoding sequence (slot 1, longer cache)", beside);

  // Beside B's 16-token prompt chunk (padded row length 16), B in slot 1 starting empty each pass.
  reset();
  await runner.forward(prompt);
  const besideChunk: Float32Array[] = [];
  for (let t = 0; t < next.length; t++) {
    runner.truncateSlot(1, 0);
    const [a] = await runner.forwardBatch([{ slot: 0, ids: [next[t]] }, { slot: 1, ids: other.slice(0, 16) }]);
    besideChunk.push(a.slice());
  }
  compare("beside a 16-token prompt chunk", besideChunk);

  // A in slot 1 while slot 0 holds B: another slot, same tokens.
  reset();
  await runner.forward(other.slice(0, 8));
  await runner.forwardBatch([{ slot: 1, ids: prompt }]);
  const slot1: Float32Array[] = [];
  for (const id of next) slot1.push((await runner.forwardBatch([{ slot: 1, ids: [id] }]))[0].slice());
  compare("alone in slot 1 (slot 0 idle, holding 8 positions)", slot1);

  // All 5 as one pass (speculative verify).
  reset();
  await runner.forward(prompt);
  const verify = await runner.forward(next, { keepLogits: next.length });
  compare("one 5-token pass", next.map((_, t) => verify.subarray(t * V, (t + 1) * V).slice()));
  await runner.dispose();
}
