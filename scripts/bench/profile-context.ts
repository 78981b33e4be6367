/**
 * Where decode time grows with the context: ORT-profiles `--steps` decode steps after a cache of `--ctx`
 * positions (filled in prefill chunks, not profiled in the summary) and prints per op type the kernel
 * ms per step, plus the run's wall ms per step and the part outside kernels. Run once per context and
 * compare (same machine state matters: run them back to back, or interleave several invocations).
 *
 *   npx tsx scripts/bench/profile-context.ts --dir DIR --ctx 2000 [--steps 8] [--threads 2]
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadOnnxRunner } from "@/server/runtime/onnx-runner";
import { DEFAULT_PREFILL_CHUNK } from "@/server/engine/generate";

const { values } = parseArgs({ options: { dir: { type: "string" }, ctx: { type: "string", default: "16" }, steps: { type: "string", default: "8" }, threads: { type: "string", default: "2" } } });
if (!values.dir) throw new Error("--dir is required");
const ctx = Number(values.ctx);
const steps = Number(values.steps);
const prefix = `/tmp/profile-context-${process.pid}`;
const runner = await loadOnnxRunner(values.dir, { threads: Number(values.threads), profilePrefix: prefix });
const ids = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => 1000 + ((i * 7919 + offset) % 120000));
for (let done = 0; done < ctx; done += DEFAULT_PREFILL_CHUNK) await runner.forward(ids(Math.min(DEFAULT_PREFILL_CHUNK, ctx - done), done));
for (let i = 0; i < steps; i++) await runner.forward([1000 + i * 31]);
(runner as unknown as { session: { endProfiling(): void } }).session.endProfiling();
await runner.dispose();
const base = prefix.split("/").pop()!;
const file = `/tmp/${readdirSync("/tmp").find((f) => f.startsWith(base) && f.endsWith(".json"))}`;

interface Event { cat: string; name: string; ts: number; dur: number; args?: { op_name?: string } }
const events = JSON.parse(readFileSync(file, "utf8")) as Event[];
const runs = events.filter((e) => e.cat === "Session" && e.name === "model_run").slice(-steps);
const byOp = new Map<string, number>();
/** Per node role across layers (the node name after the layer prefix, e.g. attn/out_past). */
const byRole = new Map<string, number>();
let kernels = 0;
for (const e of events) {
  if (e.cat !== "Node" || !e.name.endsWith("_kernel_time")) continue;
  if (!runs.some((r) => e.ts >= r.ts && e.ts <= r.ts + r.dur)) continue;
  const op = e.args?.op_name ?? "?";
  byOp.set(op, (byOp.get(op) ?? 0) + e.dur / 1000 / steps);
  const role = e.name.replace(/_kernel_time$/, "").replace(/^layers\.\d+\//, "");
  byRole.set(role, (byRole.get(role) ?? 0) + e.dur / 1000 / steps);
  kernels += e.dur / 1000 / steps;
}
const wall = runs.reduce((s, r) => s + r.dur, 0) / 1000 / steps;
const rows = [...byOp].sort((a, b) => b[1] - a[1]).map(([op, ms]) => ({ op, ms_per_step: +ms.toFixed(2) }));
const attention = [...byRole].filter(([role]) => /scores_past|out_past/.test(role)).map(([role, ms]) => ({ role, ms_per_step: +ms.toFixed(2) }));
console.log(JSON.stringify({ ctx, steps, wall_ms_per_step: +wall.toFixed(1), kernel_ms_per_step: +kernels.toFixed(1), past_products: attention, ops: rows }));
rmSync(file, { force: true });
