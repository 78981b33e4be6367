/**
 * Time to first token of a follow-up question at about 2k tokens of context, through a pool of two
 * workers with and without conversation affinity (issue 23 §3). Each trial is a fresh conversation: a
 * first turn (the long context), then the measured follow-up (the context, the answer, a new question).
 * Without affinity the follow-up lands on the other worker (ties rotate) and its whole prompt is
 * prefilled again; with it, the follow-up goes back and the worker's prompt cache serves the prefix.
 * Interleaved (A B A B) because speed drifts on a shared machine. Needs a production build and a
 * converted model folder:
 *
 *   npx tsx scripts/bench/bench-affinity.ts --model test-models/cache/onnx/<converted> [--trials 6] [--words 1500]
 */
import { parseArgs } from "node:util";
import type { ChatTurn, EngineEvent, GenerateRequest } from "../../server/engine/types";
import { WorkerPool } from "../../server/workers/worker-pool";
import { startAppServer } from "../../tests/e2e/support/app-server";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    trials: { type: "string", default: "6" },
    words: { type: "string", default: "1500" },
  },
});
if (!values.model) throw new Error("--model DIR (a converted model folder) is required");

const params = { temperature: 0, topP: 1, topK: 0, maxNewTokens: 8, repetitionPenalty: 1, seed: 1 };
const VOCABULARY = ["river", "stone", "mountain", "quiet", "bright", "window", "garden", "slowly", "orange", "cloud", "market", "winter", "letter", "forest", "harbor", "candle"];

function longText(seed: number, words: number): string {
  return Array.from({ length: words }, (_, i) => VOCABULARY[(i * 7 + seed * 13 + ((i * i) % 11)) % VOCABULARY.length]).join(" ");
}

async function run(pool: WorkerPool, request: GenerateRequest): Promise<{ text: string; ttftMs: number; cached: number; promptTokens: number }> {
  const started = performance.now();
  let ttftMs = -1;
  let text = "";
  let done: Extract<EngineEvent, { type: "done" }> | null = null;
  for await (const event of pool.generate(request)) {
    if (event.type === "token") {
      if (ttftMs < 0) ttftMs = performance.now() - started;
      text += event.text;
    }
    if (event.type === "done") done = event;
  }
  if (done?.error) throw new Error(done.error);
  return { text, ttftMs, cached: done?.stats.cachedPromptTokens ?? 0, promptTokens: done?.stats.promptTokens ?? 0 };
}

async function trial(pool: WorkerPool, id: string, seed: number): Promise<{ ttftMs: number; cached: number; promptTokens: number }> {
  const cacheKey = `conversation:${id}`;
  const first: ChatTurn[] = [{ role: "user", content: `${longText(seed, Number(values.words))}\n\nSummarize the text above.` }];
  const answer = await run(pool, { messages: first, params, cacheKey });
  const followUp: ChatTurn[] = [...first, { role: "assistant", content: answer.text }, { role: "user", content: "And in one word?" }];
  return run(pool, { messages: followUp, params, cacheKey });
}

const workers = await Promise.all([0, 1].map(() => startAppServer({ BITNET_MODEL: values.model!, BITNET_PARALLEL: "1" }, { waitForModel: true })));
const endpoints = workers.map((w) => ({ baseUrl: `${w.baseUrl}/v1`, apiKey: undefined }));
const pools = { with: new WorkerPool({ endpoints, healthIntervalMs: 60_000 }), without: new WorkerPool({ endpoints, healthIntervalMs: 60_000, affinity: false }) };
try {
  await Promise.all(Object.values(pools).map((p) => p.checkAll()));
  await trial(pools.with, "warm-up", 99); // compiles routes, loads the sessions
  const results: Record<"with" | "without", { ttftMs: number; cached: number; promptTokens: number }[]> = { with: [], without: [] };
  for (let i = 0; i < Number(values.trials); i += 1) {
    for (const key of ["with", "without"] as const) {
      const result = await trial(pools[key], `${key}-${i}`, i);
      results[key].push(result);
      console.log(JSON.stringify({ trial: i, affinity: key, ...result, ttftMs: Math.round(result.ttftMs) }));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const key of ["with", "without"] as const) {
    const list = results[key];
    console.log(
      `${key} affinity: follow-up TTFT median ${Math.round(median(list.map((r) => r.ttftMs)))} ms (range ${Math.round(Math.min(...list.map((r) => r.ttftMs)))}–${Math.round(Math.max(...list.map((r) => r.ttftMs)))}), prompt ${median(list.map((r) => r.promptTokens))} tokens, ${median(list.map((r) => r.cached))} from the cache`,
    );
  }
} finally {
  for (const pool of Object.values(pools)) pool.stop();
  await Promise.all(workers.map((w) => w.stop()));
}
