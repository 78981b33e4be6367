/**
 * `bitnet bench --model DIR [--prompt-tokens 512] [--gen-tokens 128] [--threads N]`: prints ONE JSON line
 * {"decode_tok_s", "decode_tok_s_at_2k", "prefill_tok_s", "ttft_ms", "load_s", "rss_mb", "rss_loaded_mb",
 * "rss_loaded_at_once_mb", "rss_peak_mb", "cpu", "kernel"}: rss_loaded_mb is the resident set of the loaded, warmed-up engine
 * once idle (--settle-seconds, default 10, after load: V8 returns the load's garbage only then, as in the app, which idles
 * after startup), rss_loaded_at_once_mb the same right after load, rss_peak_mb the process's peak RSS after
 * the 2k-context run, rss_mb the resident set at the end.
 * Prefill, time to first token and decode run through the engine's generation loop (greedy, EOS ignored so
 * every run is the same length); decode at 2k fills the KV cache to ~2048 positions without sampling,
 * then times decode steps. Conversion (first use of a hub checkpoint) runs in a child process before anything
 * is measured, so it is part of neither load_s nor rss_peak_mb (converting the 2B checkpoint peaks at ≈ 2 GB,
 * more than the engine itself).
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRng } from "@/lib/seeded-rng";
import type { ModelRunner } from "@/server/runtime/runner-types";
import type { EngineStats } from "@/server/engine/types";
import type { KernelChoice } from "@/server/runtime/runner-session";
import { cpuInfo } from "@/server/runtime/cpu-info";
import { parseCommandArgs, positiveInt } from "./args";
import { median, round } from "./bench/summary";

const HELP = `Usage: bitnet bench --model DIR [--prompt-tokens 512] [--gen-tokens 128] [--threads N] [--runs 1] [--settle-seconds 10] [--kernel ternary|mlas] [--baseline llama.cpp] [--speculative]

Measures load time, prefill speed and time to first token (prompt of --prompt-tokens), decode speed
(--gen-tokens steps) and decode speed with ~2048 tokens in the KV cache, then prints one JSON line.
With --runs N the speeds are the median of N runs. rss_loaded_mb is the resident set after load and
warm-up, read after --settle-seconds (default 10) idle: V8 gives the load's garbage back only then, as
in the app, which idles after startup; rss_loaded_at_once_mb is the reading right after load.
rss_peak_mb is the process's peak after the 2k-context run. A hub-format checkpoint is first
converted (once, cached under BITNET_CACHE) in a child process, so the conversion's time and memory
count in none of the figures. The line names the machine ("cpu": {model, isa, cores}) and the kernel the
ternary projections ran on ("kernel": "ternary-avx2", "ternary-avx512vnni", …, or "mlas").

--kernel ternary|mlas the project's ternary kernel (native/ternary; the default when built, as BITNET_KERNEL)
                      or onnxruntime's MatMulNBits. BITNET_TERNARY_ISA=avx2|avx512|scalar|… forces a lower
                      vector path of the ternary kernel, so every path can be timed on one machine.

--baseline llama.cpp  also benchmarks llama.cpp on the same checkpoint (exported once to a cached GGUF,
                      TQ2_0 + Q6_K embedding) with the same prompt ids, generation length and threads,
                      through node-llama-cpp's prebuilt CPU binaries in a child process. The first use
                      installs the separate bench/ package (npm install --prefix bench). Adds "baseline"
                      and "ratio" (ours / llama.cpp) to the JSON line and prints a table on stderr.
                      --model must then be the hub-format checkpoint folder.
--speculative         adds "speculative": {copy_heavy, no_repeat}, each {accept_rate, decode_tok_s,
                      decode_tok_s_without, speedup}: prompt-lookup speculative decoding vs plain
                      decoding, interleaved, on a long greedy answer (copy-heavy when the model
                      loops, as many random-weight models do; "bitnet tiny --shape 2b --looping" writes
                      one that does) and on sampling at temperature 1, repetition penalty 1.3 (few repeats).
--parallel N          adds "aggregate_decode_tok_s" (all answers' decode tokens per second) and
                      "per_answer_decode_tok_s" (median of each answer's own speed) for N greedy answers
                      of --gen-tokens generated at once (continuous batching, as BITNET_PARALLEL=N), plus
                      "per_answer_decode_tok_s_min", "single_decode_tok_s" (one answer alone, same path,
                      interleaved) and the two ratios to it.`;

const CONTEXT_AT_2K = 2048;
/** V8's memory reducer runs ≈ 8 s after the collection at the end of a load (server/runtime/collect-garbage.ts). */
const DEFAULT_SETTLE_SECONDS = 10;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    model: { type: "string" },
    "prompt-tokens": { type: "string", default: "512" },
    "gen-tokens": { type: "string", default: "128" },
    threads: { type: "string" },
    runs: { type: "string", default: "1" },
    baseline: { type: "string" },
    speculative: { type: "boolean" },
    parallel: { type: "string" },
    "settle-seconds": { type: "string" },
    kernel: { type: "string" },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (!values.model) throw new Error(`--model is required\n\n${HELP}`);
  const promptTokens = positiveInt("prompt-tokens", values["prompt-tokens"]);
  const genTokens = positiveInt("gen-tokens", values["gen-tokens"]);
  const runs = positiveInt("runs", values.runs);
  const threads = values.threads === undefined ? undefined : positiveInt("threads", values.threads);
  const parallel = values.parallel === undefined ? undefined : positiveInt("parallel", values.parallel);
  const settleSeconds = values["settle-seconds"] === undefined ? DEFAULT_SETTLE_SECONDS : Number(values["settle-seconds"]);
  if (!(settleSeconds >= 0 && settleSeconds <= 600)) throw new Error(`--settle-seconds must be a number of seconds from 0 to 600 (got "${values["settle-seconds"]}")`);
  if (values.kernel !== undefined && !["ternary", "mlas"].includes(values.kernel)) throw new Error(`--kernel must be ternary or mlas (got "${values.kernel}")`);
  const kernel = values.kernel as KernelChoice | undefined;
  const { BASELINES } = await import("./bench/baseline-llama-cpp");
  if (values.baseline !== undefined && !(BASELINES as readonly string[]).includes(values.baseline)) {
    throw new Error(`--baseline must be one of ${BASELINES.join(", ")} (got "${values.baseline}")`);
  }

  const dir = await convertedModel(values.model);
  const { loadEngine } = await import("@/server/engine/engine");
  const loadStart = performance.now();
  const loaded = await loadEngine(dir, { threads, kernel });
  const loadS = (performance.now() - loadStart) / 1000;
  const rssLoadedAtOnceMb = process.memoryUsage().rss / 2 ** 20;
  log(`loaded in ${loadS.toFixed(1)} s; idle ${settleSeconds} s before reading rss_loaded_mb`);
  await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
  const rssLoadedMb = process.memoryUsage().rss / 2 ** 20;
  const { runner } = loaded;
  const { maxPositions } = runner.info;
  if (promptTokens + genTokens > maxPositions) throw new Error(`--prompt-tokens + --gen-tokens must be at most ${maxPositions}`);

  const prompt = benchIds(promptTokens, runner.info.vocabSize);
  let result: Record<string, unknown>;
  try {
    const samples: { stats: EngineStats; at2k: number }[] = [];
    for (let r = 0; r < runs; r++) {
      log(`run ${r + 1}/${runs}: prefill ${promptTokens} + decode ${genTokens}`);
      const stats = await generateStats(runner, prompt, genTokens, loaded.tokenizer.decode);
      log(`run ${r + 1}/${runs}: decode at ~${CONTEXT_AT_2K} tokens of context`);
      const at2k = await decodeAtContext(runner, Math.min(CONTEXT_AT_2K, maxPositions - genTokens), genTokens);
      samples.push({ stats, at2k });
    }
    result = {
      cpu: cpuInfo(),
      kernel: runner.kernel ?? "reference",
      decode_tok_s: round(median(samples.map((s) => s.stats.decodeTokPerS))),
      decode_tok_s_at_2k: round(median(samples.map((s) => s.at2k))),
      prefill_tok_s: round(median(samples.map((s) => s.stats.prefillTokPerS))),
      ttft_ms: round(median(samples.map((s) => s.stats.ttftMs))),
      load_s: round(loadS),
      rss_mb: round(process.memoryUsage().rss / 2 ** 20),
      rss_loaded_mb: round(rssLoadedMb),
      rss_loaded_at_once_mb: round(rssLoadedAtOnceMb),
      rss_peak_mb: round(process.resourceUsage().maxRSS / 1024),
    };
    if (values.speculative) {
      const { benchSpeculative } = await import("./bench/speculative");
      Object.assign(result, { speculative: await benchSpeculative(runner, prompt, genTokens, runs, loaded.tokenizer.decode, log) });
    }
    if (parallel !== undefined) {
      const { isBatchedRunner } = await import("@/server/runtime/runner-types");
      if (!isBatchedRunner(runner)) throw new Error("--parallel needs a runner that batches sequences (the ONNX runner)");
      const { benchParallel } = await import("./bench/parallel");
      Object.assign(result, await benchParallel(runner, prompt, genTokens, parallel, runs, loaded.tokenizer.decode, log));
    }
  } finally {
    await loaded.dispose();
  }
  if (values.baseline) {
    log(`ours: ${JSON.stringify(result)}`); // kept even if the baseline fails or is stopped
    // Our peak before the baseline runs: a first-use GGUF export would otherwise count against us.
    const oursPeakMb = round(process.resourceUsage().maxRSS / 1024);
    const { runLlamaCppBaseline } = await import("./bench/baseline-llama-cpp");
    const { baseline, ratio } = await runLlamaCppBaseline({
      modelDir: values.model,
      prompt,
      genTokens,
      threads: threads ?? os.availableParallelism(),
      runs,
      ours: { decode_tok_s: result.decode_tok_s as number, prefill_tok_s: result.prefill_tok_s as number, rss_peak_mb: oursPeakMb },
      log,
    });
    result = { ...result, baseline, ratio: { ...ratio, ours_rss_peak_mb: oursPeakMb } };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * The converted folder for `model`: the folder itself when converted, else the cached conversion, made (or
 * checked) in a child process — in this one the conversion's peak (≈ 2 GB for the 2B checkpoint) would be
 * the process's peak RSS, which rss_peak_mb reports.
 */
async function convertedModel(model: string): Promise<string> {
  const { defaultCacheRoot, isConvertedDir } = await import("@/server/convert/convert");
  if (isConvertedDir(path.resolve(model))) return path.resolve(model);
  const { convertInChildProcess } = await import("@/server/host/convert-in-child");
  const script = fileURLToPath(new URL("../../server/convert/convert-process.mjs", import.meta.url));
  return convertInChildProcess(model, defaultCacheRoot(), (message) => log(`convert: ${message}`), script);
}

/** The real generation loop on a cold cache, greedy, with EOS ignored so it always runs `genTokens` steps. */
async function generateStats(runner: ModelRunner, prompt: number[], genTokens: number, decode: (ids: number[]) => string): Promise<EngineStats> {
  const { benchJob } = await import("./bench/bench-job");
  // Plain one-token decoding: the speculative speed-up depends on the text (see `bench --speculative`).
  return benchJob(runner, prompt, { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: genTokens, seed: 0, speculative: false }, decode);
}

/** Fills the cache to `context` positions (no sampling), then times `steps` greedy decode steps. */
async function decodeAtContext(runner: ModelRunner, context: number, steps: number): Promise<number> {
  const { argmax } = await import("@/server/engine/sampler");
  const { prefillInChunks } = await import("@/server/engine/generate");
  runner.truncate(0);
  // the engine's prefill chunks (shrinking at long contexts), so memory (onnxruntime's arena) is what the app would use
  let logits = await prefillInChunks(runner, benchIds(context, runner.info.vocabSize));
  let next = argmax(logits, runner.info.vocabSize);
  const start = performance.now();
  for (let s = 0; s < steps; s++) {
    logits = await runner.forward([next]);
    next = argmax(logits, runner.info.vocabSize);
  }
  const tokS = (steps / (performance.now() - start)) * 1000;
  runner.truncate(0);
  return tokS;
}

/** Deterministic ordinary (non-special) token ids: compute cost does not depend on which ids they are. */
function benchIds(count: number, vocabSize: number): number[] {
  const low = vocabSize > 2000 ? 1000 : 0; // skip the lowest ids (bytes, punctuation) on a real vocabulary
  const range = Math.min(vocabSize, 128_000) - low;
  const rng = createRng(12345, "bench-ids");
  return Array.from({ length: count }, () => low + (rng.nextU32() % range));
}

function log(message: string): void {
  process.stderr.write(`bitnet bench: ${message}\n`);
}
