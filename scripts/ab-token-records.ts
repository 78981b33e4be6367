/**
 * What recording the token view's log-probabilities (token-logprobs.ts, top-5) costs end to end: the engine's
 * real generation loop on a converted model, decode tok/s with and without records, interleaved (A B A B …)
 * in one process so the shared machine's load hits both alike. Greedy and the app's default sampling.
 *
 *   npx tsx scripts/ab-token-records.ts --dir MODEL_DIR [--rounds 4] [--gen 32] [--threads 2]
 */
import { parseArgs } from "node:util";
import { createChatTokenizer } from "@/server/engine/chat-prompt";
import { runGeneration } from "@/server/engine/generate";
import { PrefixCache } from "@/server/engine/prefix-cache";
import { cachedTokenInfo } from "@/server/engine/token-logprobs";
import type { SamplingParams } from "@/server/engine/types";
import { loadTokenizer } from "@/server/runtime/load-tokenizer";
import { loadOnnxRunner } from "@/server/runtime/onnx-runner";
import type { ModelRunner } from "@/server/runtime/runner-types";

const { values } = parseArgs({ options: { dir: { type: "string" }, rounds: { type: "string", default: "4" }, gen: { type: "string", default: "32" }, threads: { type: "string", default: "2" } } });
if (!values.dir) throw new Error("--dir is required");
const runner = await loadOnnxRunner(values.dir, { threads: Number(values.threads) });
const chat = createChatTokenizer(await loadTokenizer(values.dir));
const decode = (ids: number[]) => chat.decode(ids);
const noEos: ModelRunner = {
  info: { ...runner.info, eosTokenIds: [] }, // every run the same length
  get length() {
    return runner.length;
  },
  forward: (ids, options) => runner.forward(ids, options),
  truncate: (n) => runner.truncate(n),
  dispose: () => runner.dispose(),
};
const ctx = { runner: noEos, cache: new PrefixCache(noEos), decode, tokenInfo: cachedTokenInfo(decode, chat.tokenBytes) };
const prompt = Array.from({ length: 64 }, (_, i) => 1000 + ((i * 7919) % 120000));
const settings: Record<string, SamplingParams> = {
  greedy: { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, maxNewTokens: Number(values.gen), speculative: false },
  default: { temperature: 0.7, topK: 40, topP: 0.9, repetitionPenalty: 1.1, seed: 1, maxNewTokens: Number(values.gen), speculative: false },
};
const results: Record<string, number[]> = {};
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [name, params] of Object.entries(settings)) {
    for (const logprobs of [undefined, 5]) {
      runner.truncate(0);
      ctx.cache.reset();
      for await (const event of runGeneration(ctx, { promptIds: prompt, droppedTurns: 0, params, logprobs })) {
        if (event.type === "done") (results[`${name} ${logprobs === undefined ? "off" : "top-5"}`] ??= []).push(event.stats.decodeTokPerS);
      }
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const out: Record<string, unknown> = {};
for (const name of Object.keys(settings)) {
  const off = median(results[`${name} off`]!);
  const on = median(results[`${name} top-5`]!);
  out[name] = { decode_tok_s_off: off, decode_tok_s_top5: on, ratio: +(on / off).toFixed(3), runs_off: results[`${name} off`], runs_top5: results[`${name} top-5`] };
}
console.log(JSON.stringify(out));
await runner.dispose();
