/**
 * Where a decode step's wall time goes: the engine's real generation loop (runGeneration) on a converted
 * model, with timers around the ONNX session's run(), the runner's forward() (feeds + KV append around
 * run), the sampler and the tokenizer's decode; "other" is the rest (stop strings, events, the loop).
 * Variants are interleaved (A B A B) so the machine's load hits them alike. One JSON line per run.
 *
 *   npx tsx scripts/decode-breakdown.ts --dir DIR [--tokens 48] [--rounds 2] [--threads 2]
 *     [--variants greedy,sampled,sampled-nospin]
 */
import os from "node:os";
import { parseArgs } from "node:util";
import ort from "onnxruntime-node";
import { loadOnnxRunner } from "@/server/runtime/onnx-runner";
import { loadTokenizer } from "@/server/runtime/load-tokenizer";
import { runGeneration } from "@/server/engine/generate";
import { PrefixCache } from "@/server/engine/prefix-cache";
import { Sampler } from "@/server/engine/sampler";
import { createChatTokenizer } from "@/server/engine/chat-prompt";
import type { ModelRunner } from "@/server/runtime/runner-types";

const { values } = parseArgs({
  options: {
    dir: { type: "string" },
    tokens: { type: "string", default: "48" },
    rounds: { type: "string", default: "2" },
    threads: { type: "string", default: "2" },
    variants: { type: "string", default: "greedy,sampled,sampled-nospin" },
  },
});
if (!values.dir) throw new Error("--dir is required");
const dir = values.dir;

const timers = { run: 0, forward: 0, sample: 0, decode: 0 };
function timed<A extends unknown[], R>(key: keyof typeof timers, fn: (...a: A) => R): (...a: A) => R {
  return function (this: unknown, ...a: A): R {
    const t = performance.now();
    const r = fn.apply(this, a);
    if (r instanceof Promise) return r.finally(() => (timers[key] += performance.now() - t)) as R;
    timers[key] += performance.now() - t;
    return r;
  };
}
// Patched prototypes: the script measures the real code paths, not copies of them.
const proto = (ort.InferenceSession as unknown as { prototype: { run: (...a: unknown[]) => Promise<unknown> } }).prototype;
proto.run = timed("run", proto.run);
Sampler.prototype.sample = timed("sample", Sampler.prototype.sample);

const tokenizer = await loadTokenizer(dir);
const chat = createChatTokenizer(tokenizer);
const decode = timed("decode", (ids: number[]) => chat.decode(ids));
const runners = new Map<boolean, ModelRunner>();
async function runnerFor(spinning: boolean): Promise<ModelRunner> {
  let r = runners.get(spinning);
  if (!r) {
    r = await loadOnnxRunner(dir, { threads: Number(values.threads), spinning });
    await r.forward([r.info.bosTokenId]);
    runners.set(spinning, r);
  }
  return r;
}

const prompt = Array.from({ length: 32 }, (_, i) => 1000 + ((i * 7919) % 100000));
const variants = values.variants!.split(",");
for (let round = 0; round < Number(values.rounds); round++) {
  for (const variant of variants) {
    const runner = await runnerFor(!variant.endsWith("-nospin"));
    const fwd = runner.forward.bind(runner);
    const wrapped: ModelRunner = {
      info: { ...runner.info, eosTokenIds: [] },
      get length() {
        return runner.length;
      },
      forward: timed("forward", fwd),
      truncate: (n) => runner.truncate(n),
      dispose: () => runner.dispose(),
    };
    runner.truncate(0);
    const sampled = variant.startsWith("sampled");
    const params = sampled
      ? { temperature: 0.7, topP: 0.9, topK: 40, repetitionPenalty: 1.1, maxNewTokens: Number(values.tokens), seed: 1, speculative: false }
      : { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: Number(values.tokens), seed: 1, speculative: false };
    let decodeStart = 0;
    let steps = 0;
    const snapshot = { ...timers };
    const gen = runGeneration({ runner: wrapped, cache: new PrefixCache(wrapped), decode }, { promptIds: prompt, droppedTurns: 0, params });
    for await (const event of gen) {
      if (event.type === "done" && event.error) throw new Error(event.error);
      if (event.type === "token") {
        // Everything from the first token on is the decode loop.
        if (steps++ === 0) {
          decodeStart = performance.now();
          Object.assign(snapshot, timers);
        }
      }
    }
    const wall = performance.now() - decodeStart;
    const n = steps - 1;
    const per = (k: keyof typeof timers) => +((timers[k] - snapshot[k]) / n).toFixed(2);
    const step = wall / n;
    const forward = per("forward");
    const run = per("run");
    const sample = per("sample");
    const dec = per("decode");
    console.log(
      JSON.stringify({
        variant,
        round,
        steps: n,
        step_ms: +step.toFixed(2),
        run_ms: run,
        forward_outside_run_ms: +(forward - run).toFixed(2),
        sample_ms: sample,
        detokenize_ms: dec,
        other_ms: +(step - forward - sample - dec).toFixed(2),
        outside_forward_ms: +(step - forward).toFixed(2),
        load_avg_1m: +os.loadavg()[0].toFixed(1),
      }),
    );
  }
}
for (const r of runners.values()) await r.dispose();
