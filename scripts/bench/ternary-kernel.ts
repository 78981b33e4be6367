/**
 * The ternary kernel alone against onnxruntime's MLAS 2-bit MatMulNBits, inside onnxruntime sessions, on
 * the 2B model's projection shapes at M = 1, 4, 16, 512 rows, for every vector path this machine runs
 * (forced, as BITNET_TERNARY_ISA would). Each graph holds enough copies of the projection (own weights
 * each) to exceed 64 MB, so decode streams weights from memory as the real model does, not from cache.
 * Variants alternate within each round (same-run ratios on a shared, noisy machine).
 *
 *   npx tsx scripts/bench/ternary-kernel.ts [--threads 2] [--rounds 5] [--m 1,4,16,512] [--paths avx2,avx512vnni]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import ort from "onnxruntime-node";
import { GraphBuilder } from "@/server/convert/onnx/graph-builder";
import { DataType, encodeModel } from "@/server/convert/onnx/onnx-proto";
import { matMulNBits } from "@/server/convert/onnx/ops";
import { packTernary2Bit } from "@/server/convert/onnx/quantize";
import { ternaryModel } from "@/server/convert/onnx/ternary-graph";
import { sessionOptions } from "@/server/runtime/session-options";
import { ternaryAddon } from "@/server/runtime/ternary-addon";
import { createRng } from "@/lib/seeded-rng";

const { values } = parseArgs({
  options: {
    threads: { type: "string", default: "2" },
    rounds: { type: "string", default: "5" },
    m: { type: "string", default: "1,4,16,512" },
    paths: { type: "string" },
    "min-mb": { type: "string", default: "64" },
  },
});
const threads = Number(values.threads);
const rounds = Number(values.rounds);
const addon = ternaryAddon().addon;
if (!addon) throw new Error("the ternary addon is not built (npm run build:native)");
const paths = values.paths ? values.paths.split(",") : addon.isaInfo().available;
const SHAPES = [
  { label: "q/o 2560×2560", n: 2560, k: 2560 },
  { label: "k/v 640×2560", n: 640, k: 2560 },
  { label: "gate+up 13824×2560", n: 13824, k: 2560 },
  { label: "down 2560×6912", n: 2560, k: 6912 },
];
const BLOCK = 128;
const dir = mkdtempSync(path.join(os.tmpdir(), "bitnet-kernel-bench-"));
const seeded = createRng(1, "kernel-bench");
const rng = () => seeded.next();

function buildModels(n: number, k: number): { mlas: string; ternary: string; copies: number } {
  const copies = Math.max(1, Math.ceil((Number(values["min-mb"]) * 2 ** 20) / ((n * k) / 4)));
  const g = new GraphBuilder();
  const x = g.input("x", DataType.FLOAT, ["M", k]);
  for (let c = 0; c < copies; c++) {
    const ternary = Int8Array.from({ length: n * k }, () => Math.floor(rng() * 3) - 1);
    const packed = packTernary2Bit([{ outFeatures: n, inFeatures: k, ternary, effectiveScale: 1 }], BLOCK, { unitScales: true });
    const y = matMulNBits(g, x, packed, `proj${c}`, { accuracyLevel: 4, shareUnitScales: true });
    g.node("Identity", [y], { name: `out${c}`, outputs: [`y${c}`], exactOutputs: true });
    g.output(`y${c}`, DataType.FLOAT, ["M", n]);
  }
  const model = g.toModel({ graphName: "bench", producer: { name: "bitnet-chat", version: "bench" } });
  const mlas = path.join(dir, `mlas-${n}x${k}.onnx`);
  const ternary = path.join(dir, `ternary-${n}x${k}.onnx`);
  writeFileSync(mlas, encodeModel(model));
  writeFileSync(ternary, encodeModel(ternaryModel(model, g.unitTernaryNodes)!));
  return { mlas, ternary, copies };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms: string[] = [];
try {
  console.log(`CPU: ${os.cpus()[0]?.model} · best path ${addon.isaInfo().best} · ${threads} threads · ${rounds} rounds`);
  for (const shape of SHAPES) {
    const files = buildModels(shape.n, shape.k);
    const mlas = await ort.InferenceSession.create(files.mlas, sessionOptions({ threads }));
    const ours = new Map<string, object>();
    for (const isa of paths) ours.set(isa, await addon.createSession(files.ternary, { threads, isa }));
    const outNames = Array.from({ length: files.copies }, (_, c) => `y${c}`);
    for (const M of values.m.split(",").map(Number)) {
      const x = Float32Array.from({ length: M * shape.k }, () => rng() * 2 - 1);
      const times = new Map<string, number[]>([["mlas", []], ...paths.map((p) => [p, []] as [string, number[]])]);
      const runOnce = async (variant: string) => {
        const t0 = performance.now();
        if (variant === "mlas") await mlas.run({ x: new ort.Tensor("float32", x, [M, shape.k]) });
        else await addon.run(ours.get(variant)!, ["x"], [{ type: 1, dims: [M, shape.k], data: x }], outNames);
        return (performance.now() - t0) / files.copies;
      };
      for (const v of times.keys()) await runOnce(v); // warm-up (MLAS packs, arenas grow)
      for (let r = 0; r < rounds; r++) for (const [v, list] of times) list.push(await runOnce(v));
      const base = median(times.get("mlas")!);
      const cells = [...times].map(([v, list]) => {
        const t = median(list);
        const gops = (2 * M * shape.n * shape.k) / (t * 1e6);
        return `${v} ${t.toFixed(3)} ms (${gops.toFixed(1)} GOP/s${v === "mlas" ? "" : `, ${(base / t).toFixed(2)}× mlas`})`;
      });
      const line = `${shape.label} M=${M}: ${cells.join(" · ")}`;
      ms.push(line);
      console.log(line);
    }
    await mlas.release();
    for (const s of ours.values()) addon.release(s);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
