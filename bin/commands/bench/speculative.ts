/**
 * `bitnet bench --speculative`: decode speed with and without prompt-lookup speculative decoding, run
 * interleaved (plain, speculative, plain, …) on two workloads, and the share of draft tokens accepted:
 *  - copy_heavy: a long greedy answer. A random-weight model falls into repeating loops, which is exactly
 *    what prompt lookup exploits (a real model copies when quoting, summarising or editing code);
 *  - no_repeat: sampling at temperature 1 with repetition penalty 1.3 — few repeats to find, so it shows
 *    what failed drafts cost.
 */
import type { SamplingParams } from "@/server/engine/types";
import type { ModelRunner } from "@/server/runtime/runner-types";
import { benchJob } from "./bench-job";
import { median, round } from "./summary";

export interface SpeculativeWorkloadResult {
  accept_rate: number;
  decode_tok_s: number;
  decode_tok_s_without: number;
  speedup: number;
}

const WORKLOADS: Record<"copy_heavy" | "no_repeat", Omit<SamplingParams, "maxNewTokens">> = {
  copy_heavy: { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, seed: 0 },
  no_repeat: { temperature: 1, topP: 1, topK: 0, repetitionPenalty: 1.3, seed: 1 },
};

export async function benchSpeculative(
  runner: ModelRunner,
  prompt: number[],
  genTokens: number,
  runs: number,
  decode: (ids: number[]) => string,
  log: (message: string) => void,
): Promise<Record<keyof typeof WORKLOADS, SpeculativeWorkloadResult>> {
  const out = {} as Record<keyof typeof WORKLOADS, SpeculativeWorkloadResult>;
  for (const [name, sampling] of Object.entries(WORKLOADS) as [keyof typeof WORKLOADS, (typeof WORKLOADS)[keyof typeof WORKLOADS]][]) {
    const plain: number[] = [];
    const spec: number[] = [];
    let drafted = 0;
    let accepted = 0;
    for (let r = 0; r < runs; r++) {
      log(`speculative ${name} ${r + 1}/${runs}: ${genTokens} tokens without, then with speculation`);
      plain.push((await benchJob(runner, prompt, { ...sampling, maxNewTokens: genTokens, speculative: false }, decode)).decodeTokPerS);
      const s = await benchJob(runner, prompt, { ...sampling, maxNewTokens: genTokens, speculative: true }, decode);
      spec.push(s.decodeTokPerS);
      drafted += s.draftTokens ?? 0;
      accepted += s.acceptedDraftTokens ?? 0;
    }
    const withSpec = median(spec);
    const without = median(plain);
    out[name] = {
      accept_rate: round(drafted > 0 ? accepted / drafted : 0),
      decode_tok_s: round(withSpec),
      decode_tok_s_without: round(without),
      speedup: round(without > 0 ? withSpec / without : 0),
    };
  }
  return out;
}
