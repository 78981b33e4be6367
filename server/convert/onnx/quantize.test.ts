/** Weight layouts for MatMulNBits / GatherBlockQuantized, checked by running them in onnxruntime. */
import ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { GraphBuilder, MS_DOMAIN } from "./graph-builder";
import { DataType, encodeModel } from "./onnx-proto";
import { actQuant, matMulNBits, sentinelLayout } from "./ops";
import { packTernary2Bit, quantizeBlocks } from "./quantize";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function session(g: GraphBuilder): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(encodeModel(g.toModel({ graphName: "t", producer: { name: "test", version: "0" } })), { intraOpNumThreads: 1 });
}

describe("2-bit ternary MatMulNBits", () => {
  for (const accuracyLevel of [0, 4]) {
    it(`computes round-half-even int8 activations × ternary × scale exactly (accuracy_level ${accuracyLevel})`, async () => {
      const rand = rng(7 + accuracyLevel);
      const K = 200; // not a multiple of the block: exercises padding
      const parts = [40, 24].map((n, i) => ({ outFeatures: n, inFeatures: K, ternary: Int8Array.from({ length: n * K }, () => Math.floor(rand() * 3) - 1), effectiveScale: 1.25 + i }));
      const g = new GraphBuilder();
      const x = g.input("x", DataType.FLOAT, [1, "S", K]);
      const { q, s } = actQuant(g, x, "aq");
      const int8 = accuracyLevel > 0;
      const a = int8 ? sentinelLayout(g, q, K, 64, "layout") : g.op("Div", [q, s], "dq");
      const y0 = matMulNBits(g, a, packTernary2Bit(parts, 64, { sentinel: int8 }), "mm", { accuracyLevel });
      g.node("Identity", [int8 ? g.op("Div", [y0, s], "rescale") : y0], { name: "out", outputs: ["y"], exactOutputs: true });
      g.output("y", DataType.FLOAT, [1, "S", 64]);
      const X = Float32Array.from({ length: 3 * K }, () => rand() * 4 - 2);
      X[5] = 0.5 * (2 / 127); // exercise a tie
      const y = (await (await session(g)).run({ x: new ort.Tensor("float32", X, [1, 3, K]) })).y.data as Float32Array;
      for (let t = 0; t < 3; t++) {
        const row = X.subarray(t * K, (t + 1) * K);
        const scale = 127 / Math.max(1e-5, ...Array.from(row, Math.abs));
        const qs = Array.from(row, (v) => {
          const r = v * scale;
          const f = Math.floor(r);
          const rounded = r - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(r);
          return Math.min(127, Math.max(-128, rounded));
        });
        let n = 0;
        for (const p of parts) {
          for (let o = 0; o < p.outFeatures; o++, n++) {
            let acc = 0;
            for (let k = 0; k < K; k++) acc += qs[k] * p.ternary[o * K + k];
            const expected = (acc / scale) * p.effectiveScale;
            expect(Math.abs(y[t * 64 + n] - expected)).toBeLessThan(1e-4 * (1 + Math.abs(expected)));
          }
        }
      }
    });
  }
});

describe("block-quantized embedding shared by GatherBlockQuantized and MatMulNBits", () => {
  for (const bits of [4, 8] as const) {
    it(`${bits}-bit: gather rows and the LM head agree with the dequantized table`, async () => {
      const rand = rng(bits);
      const V = 50;
      const H = 64;
      const bs = 32;
      const E = Float32Array.from({ length: V * H }, () => (rand() - 0.5) * 0.1);
      const packed = quantizeBlocks(E, V, H, bits, bs);
      const g = new GraphBuilder();
      const ids = g.input("ids", DataType.INT64, [1, "S"]);
      const data = g.weight("emb", DataType.UINT8, [V, (H * bits) / 8], packed.b);
      const scales = g.weight("emb_scales", DataType.FLOAT, [V, H / bs], new Uint8Array(packed.scales.buffer));
      g.node("GatherBlockQuantized", [data, ids, scales], { name: "gather", domain: MS_DOMAIN, outputs: ["rows"], exactOutputs: true, attributes: { bits, block_size: bs, gather_axis: 0, quantize_axis: 1 } });
      const lmB = g.alias("lm_b", data, [V, H / bs, (bs * bits) / 8]);
      const lmS = g.alias("lm_s", scales, [(V * H) / bs]);
      g.node("MatMulNBits", ["rows", lmB, lmS], { name: "head", domain: MS_DOMAIN, outputs: ["logits"], exactOutputs: true, attributes: { K: H, N: V, bits, block_size: bs, accuracy_level: 0 } });
      g.output("rows", DataType.FLOAT, [1, "S", H]);
      g.output("logits", DataType.FLOAT, [1, "S", V]);
      const out = await (await session(g)).run({ ids: new ort.Tensor("int64", BigInt64Array.from([3n, 41n]), [1, 2]) });
      const rows = out.rows.data as Float32Array;
      const logits = out.logits.data as Float32Array;
      const qmax = (1 << (bits - 1)) - 1;
      [3, 41].forEach((id, t) => {
        for (let i = 0; i < H; i++) {
          const blockScale = packed.scales[id * (H / bs) + Math.floor(i / bs)];
          expect(Math.abs(rows[t * H + i] - E[id * H + i])).toBeLessThanOrEqual(blockScale / 2 + 1e-7);
          expect(blockScale).toBeCloseTo(Math.max(...Array.from(E.subarray(id * H + Math.floor(i / bs) * bs, id * H + Math.floor(i / bs) * bs + bs), Math.abs)) / qmax, 6);
        }
        // logits[v] = rows · dequant(E[v]); at v = id it is |row|².
        let self = 0;
        for (let i = 0; i < H; i++) self += rows[t * H + i] ** 2;
        expect(logits[t * V + id]).toBeCloseTo(self, 4);
      });
    });
  }
});
