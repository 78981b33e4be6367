/**
 * One generation job through the engine's real loop for benchmarks: cold cache, EOS ignored so every run
 * has the same length, given sampling params (greedy by default).
 */
import type { EngineStats, SamplingParams } from "@/server/engine/types";
import type { ModelRunner } from "@/server/runtime/runner-types";

export async function benchJob(
  runner: ModelRunner,
  prompt: number[],
  params: SamplingParams,
  decode: (ids: number[]) => string,
): Promise<EngineStats> {
  const { runGeneration } = await import("@/server/engine/generate");
  const { PrefixCache } = await import("@/server/engine/prefix-cache");
  const noEos = withoutEos(runner);
  runner.truncate(0);
  for await (const event of runGeneration({ runner: noEos, cache: new PrefixCache(noEos), decode }, { promptIds: prompt, droppedTurns: 0, params })) {
    if (event.type === "done") {
      if (event.error) throw new Error(event.error);
      return event.stats;
    }
  }
  throw new Error("generation ended without a done event");
}

/** `runner` with no end-of-answer tokens, so a benchmark generation always runs its full length. */
export function withoutEos(runner: ModelRunner): ModelRunner {
  return {
    info: { ...runner.info, eosTokenIds: [] },
    get length() {
      return runner.length;
    },
    forward: (ids, options) => runner.forward(ids, options),
    truncate: (n) => runner.truncate(n),
    dispose: () => runner.dispose(),
  };
}
