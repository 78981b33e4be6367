/**
 * Interleaved A/B(/C…) speed comparison of converted model folders and/or session settings in ONE process,
 * so the shared machine's load hits every variant alike: decode ms/token at a short context, decode at a
 * long context, and prefill (chunks of the engine's size), each measured round-robin (A B A B …).
 * Reports medians per variant and each variant's ratio to the first. Needs ~1.3 GB RAM per variant.
 *
 *   npx tsx scripts/bench/ab-decode.ts --variant DIR_A --variant DIR_B@spin=0 [--rounds 4] [--steps 8]
 *     [--ctx 2000] [--prefill 512] [--threads 2]
 * Variant options after @: spin=0|1, lut=0|1, arena=0|1, prepack=0|1, kernel=ternary|mlas, isa=avx2|avx512|… (the
 * ternary kernel's vector path).
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { loadOnnxRunner, type OnnxRunner } from "@/server/runtime/onnx-runner";
import { DEFAULT_PREFILL_CHUNK } from "@/server/engine/generate";

const { values } = parseArgs({
  options: {
    variant: { type: "string", multiple: true },
    rounds: { type: "string", default: "4" },
    steps: { type: "string", default: "8" },
    ctx: { type: "string", default: "2000" },
    prefill: { type: "string", default: "512" },
    threads: { type: "string", default: "2" },
  },
});
const specs = values.variant ?? [];
if (specs.length === 0) throw new Error("--variant DIR[@opt=v,...] (repeatable) is required");
const rounds = Number(values.rounds);
const steps = Number(values.steps);
const ctx = Number(values.ctx);
const prefill = Number(values.prefill);

interface Variant {
  label: string;
  runner: OnnxRunner;
  short: number[];
  long: number[];
  /** Process CPU ms (all threads) per short-context decode step. */
  cpu: number[];
  prefill: number[];
}
const ids = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => 1000 + ((i * 7919 + offset) % 120000));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const variants: Variant[] = [];
for (const spec of specs) {
  const [dir, opts = ""] = spec.split("@");
  const o = Object.fromEntries(opts.split(",").filter(Boolean).map((kv) => kv.split("=")));
  const flag = (k: string) => (o[k] === undefined ? undefined : o[k] === "1");
  const t0 = performance.now();
  const kernel = o.kernel === undefined ? undefined : o.kernel === "mlas" ? "mlas" : "ternary";
  const runner = await loadOnnxRunner(dir, {
    threads: Number(values.threads),
    spinning: flag("spin"),
    lutGemm: flag("lut"),
    memArena: flag("arena"),
    prepacking: flag("prepack"),
    kernel,
    isa: o.isa,
  });
  await runner.forward(ids(16));
  console.error(`loaded ${spec} (kernel ${runner.kernel}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  variants.push({ label: spec, runner, short: [], long: [], cpu: [], prefill: [] });
}

async function decodeSteps(r: OnnxRunner): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    await r.forward([1000 + ((i * 31) % 120000)]);
    times.push(performance.now() - t);
  }
  return times;
}

for (let round = 0; round < rounds; round++) {
  for (const v of round % 2 ? [...variants].reverse() : variants) {
    v.runner.truncate(0);
    await v.runner.forward(ids(16));
    const c0 = process.cpuUsage();
    v.short.push(...(await decodeSteps(v.runner)));
    const c = process.cpuUsage(c0);
    v.cpu.push((c.user + c.system) / 1000 / steps);
  }
}
if (prefill > 0) {
  for (let round = 0; round < Math.max(1, rounds >> 1); round++) {
    for (const v of round % 2 ? [...variants].reverse() : variants) {
      v.runner.truncate(0);
      const t = performance.now();
      for (let done = 0; done < prefill; done += DEFAULT_PREFILL_CHUNK) await v.runner.forward(ids(Math.min(DEFAULT_PREFILL_CHUNK, prefill - done), done));
      v.prefill.push((prefill / (performance.now() - t)) * 1000);
    }
  }
}
if (ctx > 0) {
  for (const v of variants) {
    v.runner.truncate(0);
    for (let done = 0; done < ctx; done += DEFAULT_PREFILL_CHUNK) await v.runner.forward(ids(Math.min(DEFAULT_PREFILL_CHUNK, ctx - done), done));
  }
  for (let round = 0; round < rounds; round++) {
    for (const v of round % 2 ? [...variants].reverse() : variants) {
      v.runner.truncate(ctx);
      v.long.push(...(await decodeSteps(v.runner)));
    }
  }
}
const base = variants[0];
for (const v of variants) {
  const s = median(v.short);
  const l = median(v.long);
  const p = median(v.prefill);
  console.log(
    JSON.stringify({
      variant: v.label,
      decode_ms: +s.toFixed(1),
      decode_cpu_ms: +median(v.cpu).toFixed(1),
      decode_ms_at_ctx: +l.toFixed(1),
      ctx,
      prefill_tok_s: +p.toFixed(1),
      ratio_decode: +(median(base.short) / s).toFixed(3),
      ratio_decode_at_ctx: +(median(base.long) / l).toFixed(3),
      ratio_prefill: +(p / median(base.prefill)).toFixed(3),
      load_avg_1m: +os.loadavg()[0].toFixed(1),
      rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
    }),
  );
}
for (const v of variants) await v.runner.dispose();
