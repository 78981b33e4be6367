/**
 * Micro-benchmark of graph/session variants on a synthetic model (random weights; speed does not
 * depend on values). Builds the model folder once per variant, then measures load time, decode
 * ms/token at a short and a ~2k context, 512-token prefill, and RSS. One JSON line per run.
 *
 *   npx tsx scripts/bench-kernels.ts --block 128 --acc 0 --ebits 4 --threads 2 [--no-fuse] [--lut]
 *     [--layers 30] [--decode 24] [--ctx 2000] [--prefill 512] [--profile PREFIX] [--dir DIR]
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { MANIFEST_FILE } from "@/server/checkpoint/onnx-manifest";
import { buildManifest } from "@/server/convert/build-manifest";
import { CONVERTER_VERSION } from "@/server/convert/version";
import { loadOnnxRunner } from "@/server/runtime/onnx-runner";
import { writeModelFiles } from "@/server/convert/onnx/write-model";
import type { EmbeddingBits } from "@/server/convert/onnx/bitnet-graph";
import { SHAPE_2B, syntheticSource } from "./synthetic-weights";

const { values } = parseArgs({
  options: {
    block: { type: "string", default: "128" },
    acc: { type: "string", default: "0" },
    ebits: { type: "string", default: "4" },
    threads: { type: "string", default: String(os.availableParallelism()) },
    "no-fuse": { type: "boolean", default: false },
    lut: { type: "boolean", default: false },
    "no-arena": { type: "boolean", default: false },
    layers: { type: "string", default: String(SHAPE_2B.numLayers) },
    decode: { type: "string", default: "24" },
    ctx: { type: "string", default: "2000" },
    prefill: { type: "string", default: "512" },
    profile: { type: "string" },
    dir: { type: "string" },
  },
});

const shape = { ...SHAPE_2B, numLayers: Number(values.layers) };
const opts = {
  embeddingBits: Number(values.ebits) as EmbeddingBits,
  blockSize: Number(values.block),
  accuracyLevel: Number(values.acc),
  fuseProjections: !values["no-fuse"],
};
const variant = `L${shape.numLayers}-b${opts.blockSize}-a${opts.accuracyLevel}-e${opts.embeddingBits}-${opts.fuseProjections ? "fused" : "split"}`;
const dir = values.dir ?? path.join(os.tmpdir(), "bitnet-bench", variant);
const label = values.dir ? `${values.dir}` : variant;

if (!existsSync(path.join(dir, MANIFEST_FILE))) {
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const source = syntheticSource(shape);
  const info = await writeModelFiles(dir, source, opts, CONVERTER_VERSION);
  const c = source.config;
  const manifest = buildManifest({ config: c, options: opts, info, source: { dir: "synthetic", sha256: "synthetic", files: [] }, eosTokenIds: c.eosTokenIds });
  writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  console.error(`built ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${(info.bytes / 1e6).toFixed(0)} MB`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tokens = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => (i * 7919 + offset) % 128000);

const t0 = performance.now();
const runner = await loadOnnxRunner(dir, { threads: Number(values.threads), lutGemm: values.lut, memArena: !values["no-arena"], profilePrefix: values.profile });
const loadS = (performance.now() - t0) / 1000;
const rssLoadedMb = process.memoryUsage().rss / 1e6;

/** CPU time (user + system, all threads) per call: less sensitive than wall time to other processes. */
const cpu: Record<string, number> = {};
async function decodeMs(n: number, label: string): Promise<number> {
  const times: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await runner.forward([(i * 31) % 128000]);
    times.push(performance.now() - t);
  }
  const c = process.cpuUsage(c0);
  cpu[label] = (c.user + c.system) / 1000 / n;
  return median(times);
}

await runner.forward(tokens(16));
const decodeShort = await decodeMs(Number(values.decode), "decode");

runner.truncate(0);
const nPrefill = Number(values.prefill);
await runner.forward(tokens(8)); // warm-up of the prefill shapes
runner.truncate(0);
const tp = performance.now();
const cp = process.cpuUsage();
await runner.forward(tokens(nPrefill, 3));
const prefillS = (performance.now() - tp) / 1000;
const prefillCpu = process.cpuUsage(cp);
cpu.prefill_per_token = (prefillCpu.user + prefillCpu.system) / 1000 / nPrefill;

let decodeLong = NaN;
const ctx = Number(values.ctx);
if (ctx > 0) {
  runner.truncate(0);
  for (let done = 0; done < ctx; done += 512) await runner.forward(tokens(Math.min(512, ctx - done), done));
  decodeLong = await decodeMs(Number(values.decode), "decode_at_ctx");
}
const rssMb = process.memoryUsage().rss / 1e6;
await runner.dispose();
console.log(
  JSON.stringify({
    variant: label,
    threads: Number(values.threads),
    lut: values.lut,
    arena: !values["no-arena"],
    load_s: +loadS.toFixed(2),
    decode_ms: +decodeShort.toFixed(1),
    decode_tok_s: +(1000 / decodeShort).toFixed(2),
    decode_ms_at_ctx: +decodeLong.toFixed(1),
    decode_tok_s_at_ctx: +(1000 / decodeLong).toFixed(2),
    ctx,
    prefill_tok_s: +(nPrefill / prefillS).toFixed(1),
    cpu_ms_per_token: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, +v.toFixed(1)])),
    load_avg_1m: +os.loadavg()[0].toFixed(1),
    rss_loaded_mb: Math.round(rssLoadedMb),
    rss_mb: Math.round(rssMb),
  }),
);
