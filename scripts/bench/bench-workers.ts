/**
 * Answers per minute through a front instance (BITNET_MODEL=none) with one worker vs two, interleaved
 * (A B A B) in one run because absolute speed drifts on shared machines. Needs a production build
 * (`npx next build`) and a converted model folder:
 *
 *   npx tsx scripts/bench/bench-workers.ts --model test-models/cache/<converted> [--answers 16] [--concurrency 4]
 *     [--tokens 32] [--rounds 2] [--threads N]
 */
import { parseArgs } from "node:util";
import { startAppServer, type AppServer } from "../../tests/e2e/support/app-server";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    answers: { type: "string", default: "16" },
    concurrency: { type: "string", default: "4" },
    tokens: { type: "string", default: "32" },
    rounds: { type: "string", default: "2" },
    threads: { type: "string" },
  },
});
if (!values.model) throw new Error("--model DIR (a converted model folder) is required");
const answers = Number(values.answers);
const concurrency = Number(values.concurrency);
const tokens = Number(values.tokens);

async function modelOf(front: AppServer): Promise<string> {
  const list = (await (await fetch(`${front.baseUrl}/v1/models`)).json()) as { data: { id: string }[] };
  return list.data[0].id;
}

async function answerOnce(front: AppServer, model: string, i: number): Promise<number> {
  const response = await fetch(`${front.baseUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      model,
      messages: [{ role: "user", content: `Question number ${i}: say something.` }],
      max_tokens: tokens,
      temperature: 1,
      seed: i,
    }),
  });
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  const body = (await response.json()) as { usage: { completion_tokens: number } };
  return body.usage.completion_tokens;
}

async function run(front: AppServer): Promise<{ answersPerMin: number; tokensPerS: number; seconds: number }> {
  const model = await modelOf(front);
  let next = 0;
  let produced = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < answers; i = next++) produced += await answerOnce(front, model, i);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { answersPerMin: (answers / seconds) * 60, tokensPerS: produced / seconds, seconds };
}

const workerEnv = { BITNET_MODEL: values.model, ...(values.threads ? { BITNET_THREADS: values.threads } : {}) };
const workers = await Promise.all([0, 1].map(() => startAppServer(workerEnv, { waitForModel: true })));
const url = (w: AppServer) => `${w.baseUrl}/v1`;
const fronts = {
  one: await startAppServer({ BITNET_MODEL: "none", BITNET_WORKERS: url(workers[0]) }, { waitForModel: true }),
  two: await startAppServer({ BITNET_MODEL: "none", BITNET_WORKERS: workers.map(url).join(",") }, { waitForModel: true }),
};
try {
  await run(fronts.two); // warm-up: first requests compile routes and fill caches on every instance
  const results: Record<"one" | "two", number[]> = { one: [], two: [] };
  for (let round = 0; round < Number(values.rounds); round += 1) {
    for (const key of ["one", "two"] as const) {
      const result = await run(fronts[key]);
      results[key].push(result.answersPerMin);
      console.log(JSON.stringify({ round, workers: key === "one" ? 1 : 2, ...result }));
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    JSON.stringify({
      answers,
      concurrency,
      max_tokens: tokens,
      one_worker_answers_per_min: mean(results.one),
      two_workers_answers_per_min: mean(results.two),
      ratio: mean(results.two) / mean(results.one),
    }),
  );
} finally {
  await Promise.all([...workers, fronts.one, fronts.two].map((s) => s.stop()));
}
