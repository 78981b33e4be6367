/**
 * KV-cache behaviour of the ONNX runner: decoding one token at a time or in chunks gives the same
 * logits as one full-sequence forward; truncate + re-run equals a fresh run.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadOnnxRunner, type OnnxRunner } from "./onnx-runner";
import { convertCheckpoint } from "@/server/convert/convert";
import { readManifest } from "@/server/checkpoint/onnx-manifest";
import { kernelMatches, testKernels } from "./testing/kernels";

const IDS = [128000, 791, 4062, 14198, 39935, 35308, 927, 279, 16053, 5679, 13, 578, 3280, 374, 7160, 11, 323, 433, 198, 3957];

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe.each(testKernels())("kernel %s", (kernel) => {
  let runner: OnnxRunner;
  let full: Float32Array;
  let V: number;

  beforeAll(async () => {
    runner = await loadOnnxRunner(inject("tinyOnnx"), { threads: 1, kernel });
    expect(kernelMatches(runner.kernel, kernel)).toBe(true);
    V = runner.info.vocabSize;
    full = (await runner.forward(IDS, { keepLogits: IDS.length })).slice();
    runner.truncate(0);
  });
  afterAll(() => runner.dispose());

  const row = (t: number) => full.subarray(t * V, (t + 1) * V);
  const scale = () => full.subarray(0, V).reduce((m, x) => Math.max(m, Math.abs(x)), 0);

  describe("OnnxRunner KV cache", () => {
    it("one token at a time equals the full-sequence forward", async () => {
      runner.truncate(0);
      for (let t = 0; t < IDS.length; t++) {
        const logits = await runner.forward([IDS[t]]);
        expect(logits.length).toBe(V);
        expect(maxDiff(logits, row(t))).toBeLessThan(1e-4 * scale());
      }
      expect(runner.length).toBe(IDS.length);
    });

    it("chunked prefill with keepLogits equals the full forward", async () => {
      runner.truncate(0);
      const chunks = [7, 1, 5, 7];
      let pos = 0;
      for (const n of chunks) {
        const keep = Math.min(2, n);
        const logits = await runner.forward(IDS.slice(pos, pos + n), { keepLogits: keep });
        expect(logits.length).toBe(keep * V);
        for (let j = 0; j < keep; j++) {
          expect(maxDiff(logits.subarray(j * V, (j + 1) * V), row(pos + n - keep + j))).toBeLessThan(1e-4 * scale());
        }
        pos += n;
      }
    });

    it("truncate then re-run a different suffix equals a fresh run", async () => {
      runner.truncate(0);
      await runner.forward(IDS.slice(0, 12));
      runner.truncate(8);
      expect(runner.length).toBe(8);
      const other = [2028, 374, 264, 1296];
      const reused = (await runner.forward(other, { keepLogits: 4 })).slice();
      runner.truncate(0);
      const fresh = await runner.forward([...IDS.slice(0, 8), ...other], { keepLogits: 4 });
      expect(maxDiff(reused, fresh)).toBeLessThan(1e-4 * scale());
    });

    it("rolling back rejected draft rows equals a fresh run on the accepted tokens", async () => {
      runner.truncate(0);
      await runner.forward(IDS.slice(0, 8));
      // Verify 4 rows (last token + 3 drafts); the model accepts the first draft only.
      await runner.forward([IDS[8], 2028, 374, 264], { keepLogits: 4 });
      runner.truncate(10);
      const after = (await runner.forward([1296], { keepLogits: 1 })).slice();
      runner.truncate(0);
      const fresh = await runner.forward([...IDS.slice(0, 9), 2028, 1296], { keepLogits: 1 });
      expect(maxDiff(after, fresh)).toBeLessThan(1e-4 * scale());
      expect(runner.length).toBe(11);
    });

    it("rejects bad inputs with clear errors", async () => {
      runner.truncate(0);
      await expect(runner.forward([])).rejects.toThrow(/no tokens/);
      await expect(runner.forward([V + 5])).rejects.toThrow(/outside the vocabulary/);
      await expect(runner.forward([1, 2], { keepLogits: 3 })).rejects.toThrow(/keepLogits/);
      expect(() => runner.truncate(5)).toThrow(/not in 0..0/);
    });
  });

  describe("OnnxRunner batched sequences (one pass, one KV slot each)", () => {
    const B = [128000, 3923, 374, 279, 6864, 315, 9822, 30, 578, 4320, 374];
    const solo = async (ids: number[], steps: number[]): Promise<Float32Array[]> => {
      runner.truncate(0);
      await runner.forward(ids);
      const out: Float32Array[] = [];
      for (const id of steps) out.push((await runner.forward([id])).slice());
      return out;
    };

    it("each sequence's logits equal its solo run, bit for bit, whatever runs beside it", async () => {
      const stepsA = [13, 578, 3280];
      const stepsB = [323, 433, 198];
      const aloneA = await solo(IDS.slice(0, 6), stepsA);
      const aloneB = await solo(B, stepsB);
      runner.truncateSlot(0, 0);
      runner.truncateSlot(2, 0);
      // A's prompt in slot 2 as one chunk beside nothing; then B's prompt (11 tokens) joins in slot 0 while A
      // decodes (padded row length 11), then both decode together; slot 1 stays empty in between.
      await runner.forwardBatch([{ slot: 2, ids: IDS.slice(0, 6) }]);
      const [firstB, firstA] = await runner.forwardBatch([
        { slot: 0, ids: B },
        { slot: 2, ids: [stepsA[0]] },
      ]);
      expect(maxDiff(firstA, aloneA[0])).toBe(0);
      expect(firstB.length).toBe(V);
      for (let t = 0; t < 3; t++) {
        const rows = [{ slot: 2, ids: [stepsA[t + 1] ?? 1] }, { slot: 0, ids: [stepsB[t]] }];
        const [a, b] = await runner.forwardBatch(t < 2 ? rows : rows.slice(1));
        if (t < 2) expect(maxDiff(a, aloneA[t + 1])).toBe(0);
        expect(maxDiff(t < 2 ? b : a, aloneB[t])).toBe(0);
      }
      expect(runner.slotLength(2)).toBe(6 + 3);
      expect(runner.slotLength(0)).toBe(B.length + 3);
      expect(runner.slotLength(1)).toBe(0);
    });

    it("truncating one slot leaves the other's cache as it was", async () => {
      runner.truncateSlot(0, 0);
      runner.truncateSlot(1, 0);
      await runner.forwardBatch([
        { slot: 0, ids: IDS.slice(0, 10) },
        { slot: 1, ids: B },
      ]);
      runner.truncateSlot(0, 4);
      const [b] = await runner.forwardBatch([{ slot: 1, ids: [13] }]);
      const after = b.slice();
      runner.truncateSlot(0, 0);
      runner.truncateSlot(1, 0);
      const fresh = await runner.forward([...B, 13]);
      expect(maxDiff(after, fresh)).toBeLessThan(1e-4 * scale());
      expect(runner.slotLength(0)).toBe(B.length + 1);
    });

    it("rejects a slot twice in one pass and slots past maxSlots", async () => {
      await expect(runner.forwardBatch([{ slot: 0, ids: [1] }, { slot: 0, ids: [2] }])).rejects.toThrow(/slot 0 appears twice/);
      await expect(runner.forwardBatch([{ slot: runner.maxSlots, ids: [1] }])).rejects.toThrow(/slot/);
    });
  });
});

describe("OnnxRunner with an fp32 KV cache (--kv-dtype float32)", () => {
  it("stores float32 rows, and one token at a time equals the full-sequence forward", async () => {
    const tinyOnnx = inject("tinyOnnx");
    expect(readManifest(tinyOnnx).kvDtype).toBe("float16");
    const out = mkdtempSync(path.join(os.tmpdir(), "bitnet-kv32-"));
    try {
      await convertCheckpoint({ modelDir: readManifest(tinyOnnx).source.dir, outDir: out, kvDtype: "float32" });
      expect(readManifest(out).kvDtype).toBe("float32");
      const r16 = await loadOnnxRunner(tinyOnnx, { threads: 1 });
      const full = (await r16.forward(IDS, { keepLogits: IDS.length })).slice();
      await r16.dispose();
      const r32 = await loadOnnxRunner(out, { threads: 1 });
      const V = r32.info.vocabSize;
      try {
        const whole = (await r32.forward(IDS, { keepLogits: IDS.length })).slice();
        r32.truncate(0);
        const top = whole.subarray(0, V).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
        for (let t = 0; t < IDS.length; t++) {
          const logits = await r32.forward([IDS[t]]);
          expect(maxDiff(logits, whole.subarray(t * V, (t + 1) * V))).toBeLessThan(1e-4 * top);
        }
        // Not the fp16 model's logits: the cache's element type reached the graph.
        expect(maxDiff(whole, full)).toBeGreaterThan(0);
      } finally {
        await r32.dispose();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
