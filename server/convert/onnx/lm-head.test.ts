/**
 * The LM head's one-row (M = 1, decode) path: MatMulNBits with 4- or 8-bit block-quantized weights and
 * accuracy_level 4 must equal a float matmul with the dequantized weights, given the activations the int8
 * path itself uses (quantized per block, absmax/127). onnxruntime issue #29853 reports wrong single-row
 * int8 results on AVX2 for 4-bit weights with zero points, so both layouts (implicit and explicit zero
 * points) are checked, at one and at two threads (the decode configuration).
 */
import ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { GraphBuilder } from "./graph-builder";
import { DataType, encodeModel } from "./onnx-proto";
import { matMulNBitsNode } from "./ops";
import { dequantizeBlocks, quantizeBlocks } from "./quantize";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Half-to-even rounding, as the int8 kernels' float→int conversion does. */
function roundEven(x: number): number {
  const f = Math.floor(x);
  return x - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(x);
}

/** A as MatMulNBits' int8 path sees it: per block of `bs`, q = round(a·127/absmax), back to q·absmax/127. */
function blockQuantized(a: Float32Array, bs: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let b = 0; b < a.length; b += bs) {
    let amax = 0;
    for (let i = b; i < b + bs; i++) amax = Math.max(amax, Math.abs(a[i]));
    const scale = Math.fround(amax / 127);
    const inv = amax > 0 ? Math.fround(127 / amax) : 0;
    for (let i = b; i < b + bs; i++) out[i] = roundEven(Math.fround(a[i] * inv)) * scale;
  }
  return out;
}

const N = 301; // not a multiple of any kernel tile
const K = 512;

describe("LM head MatMulNBits, one row (accuracy_level 4)", () => {
  for (const bits of [4, 8] as const) {
    for (const bs of [32, 64, 128]) {
      for (const zeroPoints of bits === 4 ? [false, true] : [false]) {
        it(`${bits}-bit, block ${bs}${zeroPoints ? ", explicit zero points" : ""} equals the dequantized float matmul`, async () => {
          const rand = rng(bits * 1000 + bs + (zeroPoints ? 1 : 0));
          const W = Float32Array.from({ length: N * K }, () => (rand() - 0.5) * 0.2);
          const packed = quantizeBlocks(W, N, K, bits, bs);
          const Wd = dequantizeBlocks(packed);
          const kBlocks = K / bs;
          const g = new GraphBuilder();
          const x = g.input("x", DataType.FLOAT, [1, 1, K]);
          const b = g.weight("w", DataType.UINT8, [N, kBlocks, (bs * bits) / 8], packed.b);
          const s = g.weight("s", DataType.FLOAT, [N * kBlocks], new Uint8Array(packed.scales.buffer));
          const inputs = [x, b, s];
          // The default zero point (2^(bits-1)) written out: same weights, the kernel's zero-point path.
          if (zeroPoints) inputs.push(g.weight("zp", DataType.UINT8, [N * Math.ceil(kBlocks / 2)], new Uint8Array(N * Math.ceil(kBlocks / 2)).fill(0x88)));
          const y = matMulNBitsNode(g, inputs, { n: N, k: K, bits, blockSize: bs }, "head", { accuracyLevel: 4 });
          g.node("Identity", [y], { name: "out", outputs: ["y"], exactOutputs: true });
          g.output("y", DataType.FLOAT, [1, 1, N]);
          const model = encodeModel(g.toModel({ graphName: "t", producer: { name: "test", version: "0" } }));
          const A = Float32Array.from({ length: K }, () => (rand() - 0.5) * 4);
          const Aq = blockQuantized(A, bs);
          for (const threads of [1, 2]) {
            const session = await ort.InferenceSession.create(model, { intraOpNumThreads: threads });
            const out = (await session.run({ x: new ort.Tensor("float32", A, [1, 1, K]) })).y.data as Float32Array;
            await session.release();
            let num = 0;
            let den = 0;
            let numFloat = 0;
            for (let n = 0; n < N; n++) {
              let ref = 0;
              let refFloat = 0;
              for (let k = 0; k < K; k++) {
                ref += Aq[k] * Wd[n * K + k];
                refFloat += A[k] * Wd[n * K + k];
              }
              num += (out[n] - ref) ** 2;
              den += ref ** 2;
              numFloat += (out[n] - refFloat) ** 2;
            }
            // Same int8 activations: only float summation order differs.
            expect(Math.sqrt(num / den), `threads ${threads}`).toBeLessThan(1e-5);
            // Against unquantized activations: the int8 rounding of A (≈ 0.4 % per element).
            expect(Math.sqrt(numFloat / den), `threads ${threads}`).toBeLessThan(2e-2);
          }
        });
      }
    }
  }
});
