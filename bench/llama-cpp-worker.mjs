// Runs llama.cpp (through node-llama-cpp's prebuilt CPU binaries) in its own process, so its memory is
// measured apart from ours. Invoked by bin/commands/bench/baseline-llama-cpp.ts and the GGUF export test:
//   node bench/llama-cpp-worker.mjs '<json request>'   → one JSON line on stdout.
// Requests: {"mode":"bench", model, threads, contextSize, prompt: ids[], genTokens, runs}
//           {"mode":"logprobs", model, threads, ids: ids[]}  (log-probabilities of every token after each prefix)
// Plain JavaScript because bench/ is a separate package the app's TypeScript build never sees.
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const request = JSON.parse(process.argv[2] ?? "{}");

// build: "never" — use only the prebuilt binaries from the npm registry, never compile llama.cpp or
// download a release; gpu: false — the CPU engine a user would compare us with.
const llama = await getLlama({ gpu: false, build: "never", usePrebuiltBinaries: true, progressLogs: false, logLevel: LlamaLogLevel.error });
const loadStart = performance.now();
const model = await llama.loadModel({ modelPath: request.model, gpuLayers: 0 });

if (request.mode === "bench") {
  const context = await model.createContext({
    contextSize: request.contextSize,
    batchSize: Math.min(512, request.contextSize),
    threads: request.threads,
    sequences: 1,
  });
  const loadS = (performance.now() - loadStart) / 1000;
  const sequence = context.getSequence();
  const prefill = [], decode = [];
  for (let r = 0; r < request.runs; r++) {
    await sequence.clearHistory();
    let t = performance.now();
    await sequence.evaluateWithoutGeneratingNewTokens(request.prompt);
    prefill.push((request.prompt.length / (performance.now() - t)) * 1000);
    // Greedy decode of genTokens steps: each step evaluates one token and samples the next (like llama-bench tg).
    const iterator = sequence.evaluate([request.prompt[request.prompt.length - 1]], { temperature: 0 });
    t = performance.now();
    for (let i = 0; i < request.genTokens; i++) {
      const next = await iterator.next();
      if (next.done) throw new Error("llama.cpp stopped generating early");
    }
    decode.push((request.genTokens / (performance.now() - t)) * 1000);
    await iterator.return();
  }
  const usage = process.resourceUsage();
  print({
    engine: "llama.cpp",
    prefill_tok_s: median(prefill),
    decode_tok_s: median(decode),
    load_s: loadS,
    rss_mb: process.memoryUsage().rss / 2 ** 20,
    rss_peak_mb: usage.maxRSS / 1024,
    threads: context.currentThreads,
  });
  await context.dispose();
} else if (request.mode === "logprobs") {
  const context = await model.createContext({ contextSize: 256, threads: request.threads ?? 1, sequences: 1 });
  const sequence = context.getSequence();
  const results = await sequence.controlledEvaluate(
    request.ids.map((id) => [id, { generateNext: { probabilities: true, options: { temperature: 1, topK: 0, topP: 1, minP: 0 } } }]),
  );
  const rows = results.map((r) => {
    // log p(id) for every id, in id order (node-llama-cpp returns the map sorted by probability)
    const logprobs = new Array(model.tokens.length).fill(null);
    for (const [id, p] of r?.next?.probabilities ?? new Map()) logprobs[id] = Math.log(p);
    return logprobs;
  });
  print({ engine: "llama.cpp", rows });
  await context.dispose();
} else {
  throw new Error(`unknown mode ${JSON.stringify(request.mode)}`);
}
await model.dispose();
await llama.dispose();

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function print(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
