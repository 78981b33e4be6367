/**
 * Issue 15 item 2(a): per-BitLinear output error of `--act-quant fast` (int8 per block of --block
 * columns, absmax/127 — what MatMulNBits' int8 path does) against BitNet's exact per-token int8, on
 * activations from the model itself: the float64 reference runs the prompt with exact quantization and
 * every BitLinear input it produces is also pushed through the per-block quantization and through no
 * quantization at all. Prints relative L2 errors per linear kind (mean and max over layers) and overall.
 *
 *   npx tsx scripts/act-quant-error.ts --model /work/models/2b-src [--tokens 6] [--block 128]
 */
import { parseArgs } from "node:util";
import { loadReferenceModel, type LinearName } from "@/server/reference/reference-model";
import { bitLinear } from "@/server/reference/ops";
import type { TernaryLinear } from "@/server/checkpoint/checkpoint";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseBitNetConfig } from "@/server/checkpoint/config";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    tokens: { type: "string", default: "6" },
    block: { type: "string", default: "128" },
  },
});
if (!values.model) throw new Error("--model is required");
const block = Number(values.block);
const config = parseBitNetConfig(JSON.parse(readFileSync(path.join(values.model, "config.json"), "utf8")));
const rmsNormEps = config.useRmsNorm ? config.quantRmsNormEps : undefined;

/** Unquantized activations: the float product the quantizations approximate. */
function floatLinear(x: Float64Array, w: TernaryLinear): Float64Array {
  const { inFeatures: n, outFeatures: m, ternary } = w;
  const rows = x.length / n;
  const y = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++) {
    let src = x.subarray(r * n, (r + 1) * n);
    if (rmsNormEps !== undefined) {
      let ss = 0;
      for (let i = 0; i < n; i++) ss += src[i] * src[i];
      const inv = 1 / Math.sqrt(ss / n + rmsNormEps);
      src = src.map((v) => v * inv);
    }
    for (let o = 0; o < m; o++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += src[i] * ternary[o * n + i];
      y[r * m + o] = acc * w.effectiveScale;
    }
  }
  return y;
}

function relL2(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

type Pair = "fast_vs_exact" | "exact_vs_float" | "fast_vs_float";
const errors = new Map<LinearName, Record<Pair, number[]>>();
const model = await loadReferenceModel(values.model, {
  observeLinear(layer, name, x, w) {
    const opts = rmsNormEps === undefined ? {} : { rmsNormEps };
    const exact = bitLinear(x, w, opts);
    const fast = bitLinear(x, w, { ...opts, activationBlock: block });
    const float = floatLinear(x, w);
    const e = errors.get(name) ?? { fast_vs_exact: [], exact_vs_float: [], fast_vs_float: [] };
    e.fast_vs_exact.push(relL2(fast, exact));
    e.exact_vs_float.push(relL2(exact, float));
    e.fast_vs_float.push(relL2(fast, float));
    errors.set(name, e);
    if (name === "down") process.stderr.write(`layer ${layer + 1}/${config.numLayers}\r`);
  },
});
const ids = Array.from({ length: Number(values.tokens) }, (_, i) => 1000 + ((i * 7919) % 120000));
model.run(ids, model.newCache(ids.length));

const summary = (xs: number[]) => ({ mean: +(xs.reduce((a, b) => a + b, 0) / xs.length).toExponential(3), max: +Math.max(...xs).toExponential(3) });
const all: Record<Pair, number[]> = { fast_vs_exact: [], exact_vs_float: [], fast_vs_float: [] };
const perKind: Record<string, unknown> = {};
for (const [name, e] of errors) {
  perKind[name] = Object.fromEntries((Object.keys(e) as Pair[]).map((k) => [k, summary(e[k])]));
  for (const k of Object.keys(e) as Pair[]) all[k].push(...e[k]);
}
console.log(JSON.stringify({ model: values.model, tokens: ids.length, block, layers: config.numLayers, all: Object.fromEntries((Object.keys(all) as Pair[]).map((k) => [k, summary(all[k])])), per_linear: perKind }));
