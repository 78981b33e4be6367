/**
 * LM-head settings by time and head-only logit error (issue 15 item 5): the checkpoint's tied embedding
 * as a MatMulNBits head, 4- or 8-bit, block 32/64/128, accuracy_level 4 (the int8 kernel the converter
 * uses), one row (decode). Time: median of interleaved single-row runs, 2 threads, spinning off (as the
 * app). Error: against the fp32 head (float64 sums over the unquantized weights) on `--vectors` hidden
 * states — relative L2 of the logits, top-1 agreement, top-5 overlap. The hidden states are the final
 * norm's output shape (the checkpoint's final norm weight × a unit-RMS Gaussian vector), not states from a
 * forward pass: on a random-weight checkpoint those are Gaussian-like too, and a 2B reference forward
 * pass takes minutes per token on this machine.
 *
 *   npx tsx scripts/bench/lm-head-settings.ts --model /work/models/2b-src [--vectors 8] [--reps 15]
 */
import { parseArgs } from "node:util";
import ort from "onnxruntime-node";
import { createRng } from "@/lib/seeded-rng";
import { openCheckpoint } from "@/server/checkpoint/checkpoint";
import { GraphBuilder } from "@/server/convert/onnx/graph-builder";
import { DataType, encodeModel } from "@/server/convert/onnx/onnx-proto";
import { matMulNBitsNode } from "@/server/convert/onnx/ops";
import { quantizeBlocks } from "@/server/convert/onnx/quantize";
import { sessionOptions } from "@/server/runtime/session-options";

const { values } = parseArgs({ options: { model: { type: "string" }, vectors: { type: "string", default: "8" }, reps: { type: "string", default: "15" }, threads: { type: "string", default: "2" } } });
if (!values.model) throw new Error("--model (hub-format checkpoint) is required");
const ckpt = await openCheckpoint(values.model);
const V = ckpt.config.vocabSize;
const H = ckpt.config.hiddenSize;
const W = await ckpt.readEmbedding();
const finalNorm = await ckpt.readFinalNorm();
await ckpt.close();

const rng = createRng(7, "lm-head-settings");
const gauss = () => rng.normal(0, 1);
const hidden = Array.from({ length: Number(values.vectors) }, () => {
  const z = Float64Array.from({ length: H }, gauss);
  const rms = Math.sqrt(z.reduce((s, x) => s + x * x, 0) / H);
  return Float32Array.from(z, (x, i) => (x / rms) * finalNorm[i]);
});
const reference = hidden.map((x) => {
  const out = new Float64Array(V);
  for (let n = 0; n < V; n++) {
    let s = 0;
    const row = n * H;
    for (let k = 0; k < H; k++) s += x[k] * W[row + k];
    out[n] = s;
  }
  return out;
});
const topK = (a: ArrayLike<number>, k: number) => {
  const idx: number[] = [];
  for (let i = 0; i < a.length; i++) {
    if (idx.length < k || a[i] > a[idx[k - 1]]) {
      idx.push(i);
      idx.sort((p, q) => a[q] - a[p]);
      if (idx.length > k) idx.pop();
    }
  }
  return idx;
};

interface Variant { label: string; session: ort.InferenceSession; bytes: number; times: number[]; relL2: number; top1: number; top5: number }
const variants: Variant[] = [];
for (const bits of [4, 8] as const) {
  for (const bs of [32, 64, 128]) {
    const q = quantizeBlocks(W, V, H, bits, bs);
    const g = new GraphBuilder();
    const x = g.input("x", DataType.FLOAT, [1, 1, H]);
    const b = g.weight("w", DataType.UINT8, [V, H / bs, (bs * bits) / 8], q.b);
    const s = g.weight("s", DataType.FLOAT, [(V * H) / bs], new Uint8Array(q.scales.buffer, q.scales.byteOffset, q.scales.byteLength));
    const y = matMulNBitsNode(g, [x, b, s], { n: V, k: H, bits, blockSize: bs }, "head", { accuracyLevel: 4 });
    g.node("Identity", [y], { name: "out", outputs: ["y"], exactOutputs: true });
    g.output("y", DataType.FLOAT, [1, 1, V]);
    const model = encodeModel(g.toModel({ graphName: "head", producer: { name: "lm-head-settings", version: "0" } }));
    const session = await ort.InferenceSession.create(model, sessionOptions({ threads: Number(values.threads) }));
    let num = 0;
    let den = 0;
    let top1 = 0;
    let top5 = 0;
    for (let v = 0; v < hidden.length; v++) {
      const out = (await session.run({ x: new ort.Tensor("float32", hidden[v], [1, 1, H]) })).y.data as Float32Array;
      const ref = reference[v];
      for (let n = 0; n < V; n++) {
        num += (out[n] - ref[n]) ** 2;
        den += ref[n] ** 2;
      }
      const r5 = topK(ref, 5);
      const o5 = topK(out, 5);
      top1 += r5[0] === o5[0] ? 1 : 0;
      top5 += o5.filter((i) => r5.includes(i)).length / 5;
    }
    variants.push({ label: `${bits}-bit block ${bs}`, session, bytes: q.b.byteLength + q.scales.byteLength, times: [], relL2: Math.sqrt(num / den), top1: top1 / hidden.length, top5: top5 / hidden.length });
    console.error(`built ${bits}-bit block ${bs}`);
  }
}
const x = new ort.Tensor("float32", hidden[0], [1, 1, H]);
for (let r = 0; r < Number(values.reps); r++) {
  for (const v of r % 2 ? [...variants].reverse() : variants) {
    const t = performance.now();
    await v.session.run({ x });
    v.times.push(performance.now() - t);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const base = median(variants.find((v) => v.label === "4-bit block 128")!.times);
for (const v of variants) {
  const ms = median(v.times);
  console.log(JSON.stringify({ head: v.label, mb: +(v.bytes / 2 ** 20).toFixed(1), ms: +ms.toFixed(2), min_ms: +Math.min(...v.times).toFixed(2), time_vs_4bit_b128: +(ms / base).toFixed(3), rel_l2: +v.relL2.toExponential(3), top1: v.top1, top5: +v.top5.toFixed(3) }));
}
for (const v of variants) await v.session.release();
