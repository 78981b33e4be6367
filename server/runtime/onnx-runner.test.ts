/**
 * KV-cache behaviour of the ONNX runner: decoding one token at a time or in chunks gives the same
 * logits as one full-sequence forward; truncate + re-run equals a fresh run.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadOnnxRunner, type OnnxRunner } from "./onnx-runner";

const IDS = [128000, 791, 4062, 14198, 39935, 35308, 927, 279, 16053, 5679, 13, 578, 3280, 374, 7160, 11, 323, 433, 198, 3957];

let runner: OnnxRunner;
let full: Float32Array;
let V: number;

beforeAll(async () => {
  runner = await loadOnnxRunner(inject("tinyOnnx"), { threads: 1 });
  V = runner.info.vocabSize;
  full = (await runner.forward(IDS, { keepLogits: IDS.length })).slice();
  runner.truncate(0);
});
afterAll(() => runner.dispose());

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
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
