/**
 * Per-token JavaScript work outside the forward pass, isolated from the model: the sampler over one row of
 * 128,256 logits (greedy, and the app's default sampling: repetition penalty 1.1 over a 512-token history,
 * temperature 0.7, top-k 40, top-p 0.9), one Detokenizer step with the real tokenizer, and a copy of the
 * logits row, and the token view's record of a token (token-logprobs.ts: chosen + top-5 alternatives) after
 * each sampler. Minimum and median of N iterations: the minimum is what the code costs when it has a core,
 * which is the figure that survives a shared machine.
 *
 *   npx tsx scripts/bench/sampler-cost.ts --dir MODEL_DIR [--iterations 300]
 */
import { parseArgs } from "node:util";
import { Sampler } from "@/server/engine/sampler";
import { Detokenizer } from "@/server/engine/detokenizer";
import { LogprobRecorder, cachedTokenInfo } from "@/server/engine/token-logprobs";
import { loadTokenizer } from "@/server/runtime/load-tokenizer";
import { createChatTokenizer } from "@/server/engine/chat-prompt";
import { createRng } from "@/lib/seeded-rng";

const { values } = parseArgs({ options: { dir: { type: "string" }, iterations: { type: "string", default: "300" } } });
if (!values.dir) throw new Error("--dir is required");
const n = Number(values.iterations);
const V = 128256;
const rng = createRng(1, "sampler-cost");
const rand = () => rng.next();
const base = Float32Array.from({ length: V }, () => (rand() - 0.5) * 8);
const history = Array.from({ length: 512 }, () => Math.floor(rand() * 120000));
const chat = createChatTokenizer(await loadTokenizer(values.dir));

function time(label: string, setup: () => () => void): void {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const fn = setup();
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ label, min_ms: +times[0].toFixed(3), median_ms: +times[n >> 1].toFixed(3), p90_ms: +times[Math.floor(n * 0.9)].toFixed(3) }));
}

const greedy = new Sampler({ temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 1 }, V);
const sampled = new Sampler({ temperature: 0.7, topK: 40, topP: 0.9, repetitionPenalty: 1.1, seed: 1 }, V);
sampled.observe(history);
const row = new Float32Array(V);
time("copy logits row (128k floats)", () => () => row.set(base));
time("sampler greedy (argmax)", () => {
  row.set(base);
  return () => greedy.sample(row);
});
time("sampler default (penalty over 512 ids, T 0.7, top-k 40, top-p 0.9)", () => {
  row.set(base);
  return () => sampled.sample(row);
});
const detok = new Detokenizer((ids) => chat.decode(ids));
let k = 0;
time("detokenizer step (transformers.js decode x2)", () => () => detok.push(history[k++ % history.length]!));

const recorder = new LogprobRecorder(V, 5, cachedTokenInfo((ids) => chat.decode(ids), chat.tokenBytes));
for (const [label, sampler] of [["greedy", greedy], ["default sampling", sampled]] as const) {
  time(`token record after ${label} (logprob, raw logprob, top-5)`, () => {
    row.set(base);
    const id = sampler.sample(row);
    return () => recorder.record(sampler, row, id);
  });
}
