/**
 * The past products of a decode step in isolation, by KV storage type: 30 layers of [kvHeads, rep queries]
 * × past keys (transposed-B), softmax, × past values (transposed), separate buffers per layer (so the cache
 * comes from memory, as in the model), each storage type as its own session, all run interleaved in one
 * process. `f32`: fp32 past; `f16`: fp16 past, Cast to fp32 before each product; `h16`: fp16 products
 * (onnxruntime's CPU provider casts around them itself); `i8`: int8 past with a per-position scale,
 * DequantizeLinear. Measurements: docs/performance.md "fp16 KV cache".
 *
 *   npx tsx scripts/bench-kv-storage.ts [--context 2048] [--kinds f32,f16,h16,i8] [--rounds 6]
 */
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { GraphBuilder, MS_DOMAIN } from "@/server/convert/onnx/graph-builder";
import { DataType, encodeModel } from "@/server/convert/onnx/onnx-proto";
import { sessionOptions } from "@/server/runtime/session-options";
import { createRng } from "@/lib/seeded-rng";

const { values } = parseArgs({ options: { context: { type: "string", default: "2048" }, kinds: { type: "string", default: "f32,f16,h16,i8" }, rounds: { type: "string", default: "6" } } });
const LAYERS = 30, HEADS = 5, REP = 4, D = 128;
const C = Number(values.context);
type Kind = "f32" | "f16" | "h16" | "i8";
const kinds = values.kinds.split(",") as Kind[];
const rng = createRng(1, "bench-kv-storage");
const rand = () => rng.nextU32() / 2 ** 32;

function build(kind: Kind): Uint8Array {
  const g = new GraphBuilder();
  const q = g.input("q", DataType.FLOAT, [1, HEADS, REP, D]);
  const stored = kind === "f32" ? DataType.FLOAT : kind === "i8" ? DataType.INT8 : DataType.FLOAT16;
  const q16 = kind === "h16" ? g.op("Cast", [q], "q16", { to: DataType.FLOAT16 }) : q;
  const toFloat = (x: string) => g.op("Cast", [x], `${x}_f32`, { to: DataType.FLOAT });
  for (let l = 0; l < LAYERS; l++) {
    let k = g.input(`k${l}`, stored, [1, HEADS, C, D]);
    let v = g.input(`v${l}`, stored, [1, HEADS, D, C]);
    if (kind === "f16") [k, v] = [toFloat(k), toFloat(v)];
    if (kind === "i8") {
      k = g.op("DequantizeLinear", [k, g.input(`ks${l}`, DataType.FLOAT, [C])], `dk${l}`, { axis: 2 });
      v = g.op("DequantizeLinear", [v, g.input(`vs${l}`, DataType.FLOAT, [C])], `dv${l}`, { axis: 3 });
    }
    const scores = g.op("FusedMatMul", [kind === "h16" ? q16 : q, k], `s${l}`, { transB: 1, alpha: { float: 1 / Math.sqrt(D) } }, MS_DOMAIN);
    const p = g.op("Softmax", [kind === "h16" ? toFloat(scores) : scores], `p${l}`, { axis: -1 });
    const pIn = kind === "h16" ? g.op("Cast", [p], `p16${l}`, { to: DataType.FLOAT16 }) : p;
    const out = g.op("FusedMatMul", [pIn, v], `o${l}`, { transB: 1 }, MS_DOMAIN);
    g.node("Identity", [kind === "h16" ? toFloat(out) : out], { name: `out${l}`, outputs: [`out${l}`], exactOutputs: true });
    g.output(`out${l}`, DataType.FLOAT, [1, HEADS, REP, D]);
  }
  return encodeModel(g.toModel({ graphName: kind, producer: { name: "bench-kv-storage", version: "1" } }));
}

function feeds(kind: Kind): Record<string, ort.Tensor> {
  const f: Record<string, ort.Tensor> = { q: new ort.Tensor("float32", Float32Array.from({ length: HEADS * REP * D }, () => rand() - 0.5), [1, HEADS, REP, D]) };
  const n = HEADS * C * D;
  for (let l = 0; l < LAYERS; l++) {
    for (const [name, dims] of [[`k${l}`, [1, HEADS, C, D]], [`v${l}`, [1, HEADS, D, C]]] as const) {
      if (kind === "f32") f[name] = new ort.Tensor("float32", Float32Array.from({ length: n }, () => rand() - 0.5), [...dims]);
      else if (kind === "i8") f[name] = new ort.Tensor("int8", Int8Array.from({ length: n }, () => Math.floor(rand() * 255) - 127), [...dims]);
      else f[name] = new ort.Tensor("float16", Uint16Array.from({ length: n }, () => 0x3800 + Math.floor(rand() * 1000)), [...dims]); // halves in [0.5, 1)
    }
    if (kind === "i8") for (const s of [`ks${l}`, `vs${l}`]) f[s] = new ort.Tensor("float32", new Float32Array(C).fill(0.01), [C]);
  }
  return f;
}

const sessions = new Map<Kind, { session: ort.InferenceSession; inputs: Record<string, ort.Tensor>; ms: number[] }>();
for (const kind of kinds) sessions.set(kind, { session: await ort.InferenceSession.create(build(kind), sessionOptions({ threads: 2 })), inputs: feeds(kind), ms: [] });
for (let round = 0; round < Number(values.rounds); round++) {
  for (const entry of sessions.values()) {
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await entry.session.run(entry.inputs);
      entry.ms.push(performance.now() - t);
    }
  }
}
for (const [kind, { ms }] of sessions) {
  const sorted = [...ms].sort((a, b) => a - b);
  console.log(JSON.stringify({ kind, context: C, layers: LAYERS, median_ms: +sorted[sorted.length >> 1].toFixed(2), min_ms: +sorted[0].toFixed(2) }));
}
