/**
 * `bitnet bench --parallel N`: N answers generated at once through the engine's step batcher (the same
 * path the app uses with BITNET_PARALLEL), against one answer alone on the same path, interleaved
 * (one, N, one, N, … for --runs). All N start together and their prompts share the prefill passes, so the
 * decode phase is N answers in lockstep. Each answer's speed is its own (tokens after its first over the
 * time from its first to its last token, as the app's caption); the aggregate is all answers' decode
 * tokens over the window from the first answer's first token to the last answer's last.
 */
import type { EngineStats, SamplingParams } from "@/server/engine/types";
import type { BatchedModelRunner } from "@/server/runtime/runner-types";
import { withoutEos } from "./bench-job";
import { median, round } from "./summary";

export interface ParallelResult {
  parallel_answers: number;
  aggregate_decode_tok_s: number;
  /** Median over the N answers of each one's own decode speed. */
  per_answer_decode_tok_s: number;
  per_answer_decode_tok_s_min: number;
  /** One answer alone on the same path, interleaved with the N-answer runs. */
  single_decode_tok_s: number;
  aggregate_vs_single: number;
  per_answer_vs_single: number;
}

interface Timed {
  stats: EngineStats;
  firstAt: number;
  lastAt: number;
}

export async function benchParallel(
  runner: BatchedModelRunner,
  prompt: number[],
  genTokens: number,
  answers: number,
  runs: number,
  decode: (ids: number[]) => string,
  log: (message: string) => void,
): Promise<ParallelResult> {
  if (answers > runner.maxSlots) throw new Error(`--parallel must be at most ${runner.maxSlots}`);
  const single: number[] = [];
  const aggregate: number[] = [];
  const perAnswer: number[] = [];
  const perAnswerMin: number[] = [];
  for (let r = 0; r < runs; r++) {
    log(`parallel ${r + 1}/${runs}: one answer of ${genTokens} tokens`);
    const [one] = await generateTogether(runner, prompt, genTokens, 1, decode);
    single.push(one!.stats.decodeTokPerS);
    log(`parallel ${r + 1}/${runs}: ${answers} answers of ${genTokens} tokens at once`);
    const many = await generateTogether(runner, prompt, genTokens, answers, decode);
    const tokens = many.reduce((sum, m) => sum + m.stats.completionTokens - 1, 0);
    const window = Math.max(...many.map((m) => m.lastAt)) - Math.min(...many.map((m) => m.firstAt));
    aggregate.push(window > 0 ? (tokens / window) * 1000 : 0);
    const speeds = many.map((m) => m.stats.decodeTokPerS);
    perAnswer.push(median(speeds));
    perAnswerMin.push(Math.min(...speeds));
  }
  const one = median(single);
  const agg = median(aggregate);
  const each = median(perAnswer);
  return {
    parallel_answers: answers,
    aggregate_decode_tok_s: round(agg),
    per_answer_decode_tok_s: round(each),
    per_answer_decode_tok_s_min: round(median(perAnswerMin)),
    single_decode_tok_s: round(one),
    aggregate_vs_single: round(one > 0 ? agg / one : 0),
    per_answer_vs_single: round(one > 0 ? each / one : 0),
  };
}

/** `count` greedy answers to `prompt` (EOS ignored), started together on slots 0..count-1. */
async function generateTogether(runner: BatchedModelRunner, prompt: number[], genTokens: number, count: number, decode: (ids: number[]) => string): Promise<Timed[]> {
  const { runGeneration } = await import("@/server/engine/generate");
  const { PrefixCache } = await import("@/server/engine/prefix-cache");
  const { StepBatcher } = await import("@/server/engine/step-batcher");
  const { DEFAULT_PREFILL_CHUNK } = await import("@/server/engine/generate");
  // Every answer's prompt chunk fits one pass: the answers prefill together, then decode in lockstep.
  const batcher = new StepBatcher(runner, { promptBudget: DEFAULT_PREFILL_CHUNK * count });
  const params: SamplingParams = { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: genTokens, seed: 0, speculative: false };
  const one = async (slot: number): Promise<Timed> => {
    const noEos = withoutEos(batcher.sequence(slot));
    noEos.truncate(0);
    let firstAt = 0;
    let lastAt = 0;
    try {
      for await (const event of runGeneration({ runner: noEos, cache: new PrefixCache(noEos), decode }, { promptIds: prompt, droppedTurns: 0, params })) {
        if (event.type === "token") {
          lastAt = performance.now();
          if (firstAt === 0) firstAt = lastAt;
        }
        if (event.type === "done") {
          if (event.error) throw new Error(event.error);
          return { stats: event.stats, firstAt, lastAt };
        }
      }
      throw new Error("generation ended without a done event");
    } finally {
      batcher.detach(slot);
      noEos.truncate(0);
    }
  };
  const slots = Array.from({ length: count }, (_, slot) => slot);
  for (const slot of slots) batcher.attach(slot);
  return Promise.all(slots.map(one));
}
