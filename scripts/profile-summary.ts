/**
 * Summarizes an onnxruntime profile (JSON written with `enableProfiling`, e.g. by
 * `scripts/bench-kernels.ts --profile PREFIX`): per op type, the share of kernel time and the number of
 * kernel launches per run; per run, wall time of `model_run` and the part outside kernels (scheduling,
 * allocation, input/output binding). Only runs whose number of kernel launches equals the most common
 * count are kept (decode steps), unless --all.
 *
 *   npx tsx scripts/profile-summary.ts PROFILE.json [--skip 1] [--all]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { skip: { type: "string", default: "1" }, all: { type: "boolean", default: false } } });
if (positionals.length !== 1) throw new Error("usage: profile-summary.ts PROFILE.json");

interface Event {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string };
}
const events = (JSON.parse(readFileSync(positionals[0], "utf8")) as Event[]).sort((a, b) => a.ts - b.ts);
const runs = events.filter((e) => e.cat === "Session" && e.name === "model_run");
const kernels = events.filter((e) => e.cat === "Node" && e.name.endsWith("_kernel_time"));

const perRun = runs.map((r) => {
  const inside = kernels.filter((k) => k.ts >= r.ts && k.ts + k.dur <= r.ts + r.dur);
  return { run: r, kernels: inside };
});
const counts = new Map<number, number>();
for (const p of perRun) counts.set(p.kernels.length, (counts.get(p.kernels.length) ?? 0) + 1);
const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
const kept = perRun.slice(Number(values.skip)).filter((p) => values.all || p.kernels.length === common);
if (kept.length === 0) throw new Error("no runs to summarize");

const byOp = new Map<string, { us: number; n: number }>();
let kernelUs = 0;
let runUs = 0;
for (const p of kept) {
  runUs += p.run.dur;
  for (const k of p.kernels) {
    const op = k.args?.op_name ?? "?";
    const e = byOp.get(op) ?? { us: 0, n: 0 };
    e.us += k.dur;
    e.n += 1;
    byOp.set(op, e);
    kernelUs += k.dur;
  }
}
const runs_ = kept.length;
console.log(`${runs_} runs, ${common} kernels per run; model_run ${(runUs / runs_ / 1000).toFixed(2)} ms, kernels ${(kernelUs / runs_ / 1000).toFixed(2)} ms, outside kernels ${((runUs - kernelUs) / runs_ / 1000).toFixed(2)} ms (${(((runUs - kernelUs) / runUs) * 100).toFixed(1)} %) per run`);
console.log("| op | ms per run | share of kernel time | launches per run |");
console.log("|---|---|---|---|");
for (const [op, e] of [...byOp.entries()].sort((a, b) => b[1].us - a[1].us)) {
  console.log(`| ${op} | ${(e.us / runs_ / 1000).toFixed(2)} | ${((e.us / kernelUs) * 100).toFixed(1)} % | ${(e.n / runs_).toFixed(0)} |`);
}
