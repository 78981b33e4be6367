/**
 * The exported GGUF in real llama.cpp (node-llama-cpp's prebuilt CPU binaries from the separate bench/
 * package): it loads, and its next-token log-probabilities agree with our float64 reference — which proves
 * the tensor mapping, the `*.scale` convention, RoPE layout, norms and GQA of the export.
 *
 * llama.cpp's `bitnet` graph runs the FFN with SiLU instead of BitNet's relu² (the bundled build ignores
 * `bitnet.hidden_activation`), so the reference is asked for the same network (ffnActivation "silu").
 * The reference gets the Q6_K embedding as llama.cpp reads it back (our dequantizer), which also checks
 * the Q6_K block layout; the remaining difference is llama.cpp's per-256-block int8 activations (Q8_K)
 * against BitNet's per-token absmax. Skipped — with the reason printed — when bench/ is not installed (CI does not
 * install it: the app's tests must not depend on llama.cpp binaries; `npm install --prefix bench` enables it).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateTinyCheckpoint } from "@/server/demo/tiny-checkpoint";
import { exportGguf } from "@/server/convert/gguf/export-gguf";
import { createReferenceModel, type ReferenceOptions } from "@/server/reference/reference-model";
import { openCheckpoint } from "@/server/checkpoint/checkpoint";
import { readGguf } from "@/server/convert/gguf/gguf-reader";
import { dequantizeQ6K } from "@/server/convert/gguf/quant-q6k";
import { benchPackageInstalled, runLlamaCppWorker } from "@/bin/commands/bench/bench-package";

const installed = benchPackageInstalled();
if (!installed) console.warn("gguf-llama-cpp.test.ts skipped: bench/ is not installed (npm install --prefix bench)");

let tmp: string | undefined;
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Relative L2 distance of two log-probability vectors after removing each one's mean (logits up to a constant). */
function centeredRelL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const mean = (x: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i];
    return s / x.length;
  };
  const ma = mean(a), mb = mean(b);
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma - (b[i] - mb)) ** 2;
    den += (a[i] - ma) ** 2;
  }
  return Math.sqrt(num / den);
}

function logSoftmax(logits: Float64Array): Float64Array {
  let m = -Infinity;
  for (const v of logits) m = Math.max(m, v);
  let s = 0;
  for (const v of logits) s += Math.exp(v - m);
  const lse = m + Math.log(s);
  return logits.map((v) => v - lse);
}

/** Our float64 reference on the checkpoint's weights, with the embedding taken from the GGUF (dequantized Q6_K). */
async function referenceFromGguf(dir: string, gguf: string, options: ReferenceOptions) {
  const checkpoint = await openCheckpoint(dir);
  try {
    const c = checkpoint.config;
    const layers = [];
    for (let i = 0; i < c.numLayers; i++) layers.push(await checkpoint.readLayer(i));
    const embedding = dequantizeQ6K(await (await readGguf(gguf)).readTensor("token_embd.weight"), c.vocabSize * c.hiddenSize);
    return createReferenceModel(c, layers, embedding, await checkpoint.readFinalNorm(), options);
  } finally {
    await checkpoint.close();
  }
}

describe.skipIf(!installed)("exported GGUF in llama.cpp", () => {
  it("loads, and its log-probabilities match the float64 reference with llama.cpp's SiLU FFN", async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "gguf-llama-"));
    const dir = path.join(tmp, "src");
    // 256-wide so every projection is TQ2_0 and the embedding Q6_K, as in the 2B export
    await generateTinyCheckpoint({ outDir: dir, seed: 3, shape: "tiny", overrides: { hiddenSize: 256, intermediateSize: 512, numHeads: 4, numKvHeads: 2 } });
    const { outFile, linearType, embeddingType } = await exportGguf({ modelDir: dir, outFile: path.join(tmp, "model.gguf") });
    expect([linearType, embeddingType]).toEqual(["TQ2_0", "q6_k"]);

    const ids = [128000, 9906, 1917, 374, 264, 1296, 50, 60, 1296, 264];
    const { rows } = await runLlamaCppWorker<{ rows: number[][] }>({ mode: "logprobs", model: outFile, ids });
    const silu = (await referenceFromGguf(dir, outFile, { ffnActivation: "silu" })).forward(ids).map(logSoftmax);
    const relu2 = (await referenceFromGguf(dir, outFile, {})).forward(ids).map(logSoftmax);
    const agreeSilu = rows.map((r, t) => centeredRelL2(silu[t], r));
    const agreeRelu2 = rows.map((r, t) => centeredRelL2(relu2[t], r));
    console.log(`llama.cpp vs reference, centered relative L2 per position: SiLU ${agreeSilu.map((x) => x.toFixed(3)).join(" ")}; relu² ${agreeRelu2.map((x) => x.toFixed(3)).join(" ")}`);
    // A random-weight network amplifies the small activation-quantization difference chaotically at some
    // positions (seen: one position in ten at 0.28 while the rest sit at 0.013-0.04), so judge the bulk.
    const sorted = [...agreeSilu].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(0.05);
    expect(agreeSilu.filter((e) => e < 0.06).length).toBeGreaterThanOrEqual(0.8 * ids.length);
    // same top token at most positions (near-ties on a random network may swap)
    const argmax = (x: ArrayLike<number>) => {
      let best = 0;
      for (let i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
      return best;
    };
    const sameTop = rows.filter((r, t) => argmax(r) === argmax(silu[t])).length;
    expect(sameTop).toBeGreaterThanOrEqual(0.8 * ids.length);
  }, 300_000);
});
