/**
 * What a compare pair costs against the same two answers asked one after the other, through the chat
 * layer (database writes, token records, the engine's scheduler) on a real model folder. Runs the two
 * ways interleaved (pair, sequential, pair, …) so the machine's load drifts over both alike, and
 * reports wall and process-CPU time per way with the same-run ratio. Each answer is `--tokens` long
 * (random-weight checkpoints rarely stop early; the token counts are printed to check).
 *
 *   npx tsx scripts/compare-cost.ts --dir DIR [--threads 2] [--tokens 48] [--rounds 3] [--parallel 4]
 */
import { parseArgs } from "node:util";
import { chatRequestSchema } from "@/lib/schemas/chat";
import { AnswerRegistry } from "@/server/chat/answer-registry";
import { sendMessage } from "@/server/chat/send-message";
import { startCompare } from "@/server/chat/start-compare";
import { collectEvents } from "@/server/chat/testing/collect";
import { openTempDb } from "@/server/db/testing/temp-db";
import { loadEngine } from "@/server/engine/load-engine";

const { values } = parseArgs({
  options: {
    dir: { type: "string" },
    threads: { type: "string", default: "2" },
    tokens: { type: "string", default: "48" },
    rounds: { type: "string", default: "3" },
    parallel: { type: "string" },
  },
});
if (!values.dir) throw new Error("--dir is required");
if (values.parallel) process.env.BITNET_PARALLEL = values.parallel;

const loaded = await loadEngine(values.dir, { threads: Number(values.threads) });
const t = openTempDb();
const base = { maxNewTokens: Number(values.tokens), topK: 40, topP: 0.9, speculative: false, seed: 7 };
const variants = [{ temperature: 0 }, { temperature: 0.8 }];
const question = "Explain in a few sentences why a ternary-weight model is cheap to run on a CPU.";

function completion(events: Awaited<ReturnType<typeof collectEvents>>): number[] {
  return events.flatMap((e) => (e.event === "done" ? [e.data.stats.completionTokens] : []));
}

async function pair(): Promise<number[]> {
  const started = await startCompare({ db: t.store, engine: loaded.engine, registry: new AnswerRegistry(), request: chatRequestSchema.parse({ mode: "compare", content: question, params: base, variants }) });
  return completion(await collectEvents(started.events));
}

async function oneAfterTheOther(): Promise<number[]> {
  const tokens: number[] = [];
  for (const variant of variants) {
    const request = chatRequestSchema.parse({ content: question, params: { ...base, ...variant } });
    tokens.push(...completion(await collectEvents((await sendMessage({ db: t.store, engine: loaded.engine, request, signal: new AbortController().signal })).events)));
  }
  return tokens;
}

async function measure(run: () => Promise<number[]>): Promise<{ wallMs: number; cpuMs: number; tokens: number[] }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const tokens = await run();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000, tokens };
}

await measure(pair); // warm-up: first-touch of the KV slots
const results: Record<string, { wallMs: number; cpuMs: number }[]> = { pair: [], sequential: [] };
for (let r = 0; r < Number(values.rounds); r += 1) {
  for (const [name, run] of [["pair", pair], ["sequential", oneAfterTheOther]] as const) {
    const m = await measure(run);
    results[name]!.push(m);
    console.log(JSON.stringify({ round: r, way: name, wall_ms: Math.round(m.wallMs), cpu_ms: Math.round(m.cpuMs), tokens: m.tokens }));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = Object.fromEntries(
  Object.entries(results).map(([name, ms]) => [name, { wall_ms: Math.round(median(ms.map((m) => m.wallMs))), cpu_ms: Math.round(median(ms.map((m) => m.cpuMs))) }]),
);
console.log(JSON.stringify({ summary, pair_vs_sequential: { wall: +(summary.pair!.wall_ms / summary.sequential!.wall_ms).toFixed(2), cpu: +(summary.pair!.cpu_ms / summary.sequential!.cpu_ms).toFixed(2) } }));
t.dispose();
await loaded.dispose();
