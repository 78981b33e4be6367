/**
 * `bitnet generate --model DIR --prompt TEXT [...]`: one chat answer, streamed to stdout as it is
 * generated (stats on stderr), or with --json ONE JSON object {ids, text, stats} on stdout.
 * DIR may be a converted folder or a hub-format checkpoint (converted into the cache on first use).
 */
import { DEFAULT_GENERATION_PARAMS, generationParamsSchema } from "@/lib/schemas/params";
import type { GenerationStats } from "@/lib/schemas/stats";
import type { ChatTurn, SamplingParams } from "@/server/engine/types";
import { parseCommandArgs } from "./args";

const HELP = `Usage: bitnet generate --model DIR --prompt TEXT [options]

Options:
  --model DIR                 converted model folder or hub-format checkpoint
  --prompt TEXT               the user message
  --system TEXT               system prompt (default: none)
  --max-tokens N              maximum answer tokens, 1–2048 (default ${DEFAULT_GENERATION_PARAMS.maxNewTokens})
  --temperature T             0 = greedy, up to 2 (default ${DEFAULT_GENERATION_PARAMS.temperature})
  --top-p P                   nucleus sampling, 0–1 (default ${DEFAULT_GENERATION_PARAMS.topP})
  --top-k K                   1–100 (default ${DEFAULT_GENERATION_PARAMS.topK})
  --repetition-penalty R      1 = off, up to 2 (default ${DEFAULT_GENERATION_PARAMS.repetitionPenalty})
  --seed S                    same seed + same inputs ⇒ same answer (default: random)
  --speculative               prompt-lookup speculative decoding, the default (same answer, only the speed differs)
  --no-speculative            one token per forward pass
  --threads N                 onnxruntime threads (default: every core)
  --json                      print one JSON object {ids, text, stats} instead of streaming`;

export interface GenerateArgs {
  model: string;
  messages: ChatTurn[];
  params: SamplingParams;
  json: boolean;
  threads?: number;
}

/** Parses and validates the command line (same limits as the chat API). Throws with a message for a person. */
export function parseGenerateArgs(argv: string[]): GenerateArgs | "help" {
  const { values } = parseCommandArgs(argv, {
    model: { type: "string" },
    prompt: { type: "string" },
    system: { type: "string" },
    "max-tokens": { type: "string" },
    temperature: { type: "string" },
    "top-p": { type: "string" },
    "top-k": { type: "string" },
    "repetition-penalty": { type: "string" },
    seed: { type: "string" },
    speculative: { type: "boolean" },
    "no-speculative": { type: "boolean" },
    threads: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) return "help";
  if (!values.model || values.prompt === undefined) throw new Error(`--model and --prompt are required\n\n${HELP}`);
  const num = (flag: string, value: string | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) throw new Error(`--${flag} must be a number (got "${value}")`);
    return n;
  };
  const d = DEFAULT_GENERATION_PARAMS;
  const parsed = generationParamsSchema.omit({ systemPrompt: true }).safeParse({
    maxNewTokens: num("max-tokens", values["max-tokens"], d.maxNewTokens),
    temperature: num("temperature", values.temperature, d.temperature),
    topP: num("top-p", values["top-p"], d.topP),
    topK: num("top-k", values["top-k"], d.topK),
    repetitionPenalty: num("repetition-penalty", values["repetition-penalty"], d.repetitionPenalty),
    seed: values.seed === undefined ? null : num("seed", values.seed, 0),
    speculative: values["no-speculative"] ? false : values.speculative ? true : d.speculative,
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  const threads = values.threads === undefined ? undefined : num("threads", values.threads, 0);
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) throw new Error("--threads must be a positive integer");
  const messages: ChatTurn[] = [];
  if (values.system) messages.push({ role: "system", content: values.system });
  messages.push({ role: "user", content: values.prompt });
  return { model: values.model, messages, params: parsed.data, json: values.json ?? false, threads };
}

export async function run(argv: string[]): Promise<void> {
  const args = parseGenerateArgs(argv);
  if (args === "help") {
    console.log(HELP);
    return;
  }
  const { ensureConverted } = await import("@/server/convert/convert");
  const { loadEngine } = await import("@/server/engine/engine");
  const dir = await ensureConverted(args.model);
  const { engine, dispose } = await loadEngine(dir, { threads: args.threads });
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint); // Ctrl-C stops the answer cleanly (stop reason "abort")
  const ids: number[] = [];
  let text = "";
  let stats: GenerationStats | undefined;
  let error: string | undefined;
  try {
    for await (const event of engine.generate({ messages: args.messages, params: args.params }, controller.signal)) {
      if (event.type === "token") {
        ids.push(event.id);
        text += event.text;
        if (!args.json) process.stdout.write(event.text);
      } else if (event.type === "done") {
        stats = event.stats;
        error = event.error;
      }
    }
  } finally {
    process.off("SIGINT", onSigint);
    await dispose();
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify(error ? { ids, text, stats, error } : { ids, text, stats })}\n`);
  } else {
    process.stdout.write("\n");
    if (stats) process.stderr.write(`${formatStats(stats)}\n`);
  }
  if (error) {
    console.error(`bitnet generate: ${error}`);
    process.exitCode = 1;
  }
}

function formatStats(s: GenerationStats): string {
  return (
    `[${s.promptTokens} prompt + ${s.completionTokens} answer tokens · time to first token ${Math.round(s.ttftMs)} ms · ` +
    `prefill ${s.prefillTokPerS.toFixed(1)} tok/s · decode ${s.decodeTokPerS.toFixed(1)} tok/s · stop: ${s.stopReason}]`
  );
}
