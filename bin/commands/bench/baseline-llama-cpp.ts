/**
 * `bitnet bench --baseline llama.cpp`: the same checkpoint exported to GGUF (TQ2_0 + Q6_K embedding, cached),
 * benchmarked by llama.cpp through node-llama-cpp in a child process with the same prompt ids, generation
 * length and threads; returns its figures and our/llama.cpp ratios for the bench JSON line, and prints a
 * side-by-side table on stderr.
 */
import { ensureBenchPackage, runLlamaCppWorker } from "./bench-package";
import { ensureGguf } from "./gguf-cache";

export const BASELINES = ["llama.cpp"] as const;
/** llama.cpp's context for the baseline: the anchor (`llama-cli -c 4096`), the model's full context. */
const LLAMA_CPP_CONTEXT = 4096;

export interface OurFigures {
  decode_tok_s: number;
  prefill_tok_s: number;
  /** Our process's peak RSS (MB) over the benchmark. */
  rss_peak_mb: number;
}

export interface LlamaCppFigures {
  engine: "llama.cpp";
  decode_tok_s: number;
  prefill_tok_s: number;
  load_s: number;
  rss_peak_mb: number;
  threads: number;
  gguf: string;
  /** Projection + embedding types of the GGUF, e.g. "TQ2_0 + q6_k". */
  weights: string;
  context: number;
}

export interface BaselineResult {
  baseline: LlamaCppFigures;
  /** ours / llama.cpp: > 1 means we decode/prefill faster; for memory > 1 means we use more. */
  ratio: { decode: number; prefill: number; rss_peak: number };
}

export async function runLlamaCppBaseline(options: {
  modelDir: string;
  prompt: number[];
  genTokens: number;
  threads: number;
  runs: number;
  ours: OurFigures;
  log: (message: string) => void;
}): Promise<BaselineResult> {
  const { log } = options;
  await ensureBenchPackage(log);
  const { file: gguf, weights } = await ensureGguf(options.modelDir, "q6_k", log);
  const context = Math.max(LLAMA_CPP_CONTEXT, options.prompt.length + options.genTokens + 1);
  log(`llama.cpp: prefill ${options.prompt.length} + decode ${options.genTokens}, ${options.threads} threads, context ${context}`);
  const raw = await runLlamaCppWorker<Omit<LlamaCppFigures, "gguf" | "context" | "weights">>({
    mode: "bench",
    model: gguf,
    threads: options.threads,
    contextSize: context,
    prompt: options.prompt,
    genTokens: options.genTokens,
    runs: options.runs,
  });
  const baseline: LlamaCppFigures = {
    engine: "llama.cpp",
    decode_tok_s: round(raw.decode_tok_s),
    prefill_tok_s: round(raw.prefill_tok_s),
    load_s: round(raw.load_s),
    rss_peak_mb: round(raw.rss_peak_mb),
    threads: raw.threads,
    gguf,
    weights,
    context,
  };
  const ratio = {
    decode: round(options.ours.decode_tok_s / baseline.decode_tok_s, 3),
    prefill: round(options.ours.prefill_tok_s / baseline.prefill_tok_s, 3),
    rss_peak: round(options.ours.rss_peak_mb / baseline.rss_peak_mb, 3),
  };
  printTable(options.ours, baseline, ratio, log);
  return { baseline, ratio };
}

function printTable(ours: OurFigures, base: LlamaCppFigures, ratio: BaselineResult["ratio"], log: (message: string) => void): void {
  const rows = [
    ["", "decode tok/s", "prefill tok/s", "peak RSS MB"],
    ["BitNet Chat", ours.decode_tok_s, ours.prefill_tok_s, ours.rss_peak_mb],
    [`llama.cpp (${base.weights}, ${base.threads} thr)`, base.decode_tok_s, base.prefill_tok_s, base.rss_peak_mb],
    ["ours / llama.cpp", `${ratio.decode}×`, `${ratio.prefill}×`, `${ratio.rss_peak}×`],
  ].map((r) => r.map(String));
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
