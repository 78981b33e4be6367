/**
 * `bitnet tiny --out DIR [--seed N] [--shape tiny|2b] [--linear-class autobitlinear|bitlinear]`:
 * writes a random-weight checkpoint in the exact hub format (for tests and benchmarks).
 */
import { SHAPES, type LinearClass, type ShapeName } from "@/server/checkpoint/config";
import { parseCommandArgs } from "./args";

const HELP = `Usage: bitnet tiny --out DIR [options]

Writes a random-weight BitNet b1.58 checkpoint in the Hugging Face hub format (config.json,
generation_config.json, model.safetensors with packed ternary weights, tokenizer files).

Options:
  --out DIR                                    output folder (replaced if it is already a BitNet checkpoint)
  --seed N                                     non-negative integer; same seed ⇒ same bytes (default 0)
  --shape tiny|2b                              tiny: hidden 64, 2 layers (tests); 2b: the full 2B4T shape (default tiny)
  --linear-class autobitlinear|bitlinear       weight_scale multiplies (autobitlinear, the hub model) or divides (default autobitlinear)
  --looping                                    weight scales 1/1000 of the usual: embeddings dominate and greedy decoding
                                               repeats itself (the copy-heavy workload of bench --speculative; speed
                                               does not depend on weight values)`;

export interface TinyArgs {
  out: string;
  seed: number;
  shape: ShapeName;
  linearClass: LinearClass;
  looping: boolean;
}

export function parseTinyArgs(argv: string[]): TinyArgs | "help" {
  const { values } = parseCommandArgs(argv, {
    out: { type: "string" },
    seed: { type: "string" },
    shape: { type: "string" },
    "linear-class": { type: "string" },
    looping: { type: "boolean" },
  });
  if (values.help) return "help";
  if (!values.out) throw new Error(`--out is required\n\n${HELP}`);
  const seedText = values.seed ?? "0";
  const seed = Number(seedText);
  if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(seed)) throw new Error(`--seed must be a non-negative integer (got "${seedText}")`);
  const shape = values.shape ?? "tiny";
  if (!(shape in SHAPES)) throw new Error(`--shape must be one of ${Object.keys(SHAPES).join(", ")} (got "${shape}")`);
  const linearClass = values["linear-class"] ?? "autobitlinear";
  if (linearClass !== "autobitlinear" && linearClass !== "bitlinear") {
    throw new Error(`--linear-class must be autobitlinear or bitlinear (got "${linearClass}")`);
  }
  return { out: values.out, seed, shape: shape as ShapeName, linearClass, looping: values.looping ?? false };
}

export async function run(argv: string[]): Promise<void> {
  const args = parseTinyArgs(argv);
  if (args === "help") {
    console.log(HELP);
    return;
  }
  // Loaded after argument parsing so `--help` and usage errors stay instant.
  const { generateTinyCheckpoint } = await import("@/server/demo/tiny-checkpoint");
  const started = performance.now();
  let lastReport = 0;
  // Ctrl-C stops between tensors so the generator can remove its temporary folder before exiting.
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error("interrupted: nothing was written"));
  process.once("SIGINT", onSigint);
  const result = await generateTinyCheckpoint({
    signal: controller.signal,
    outDir: args.out,
    seed: args.seed,
    shape: args.shape,
    linearClass: args.linearClass,
    looping: args.looping,
    onProgress: (done, total) => {
      // Progress only for slow (2b) runs and only to a terminal, so logs and tests stay clean.
      const now = performance.now();
      if (process.stderr.isTTY && now - lastReport > 1000) {
        lastReport = now;
        process.stderr.write(`\rwriting model.safetensors: ${Math.floor((100 * done) / total)}%`);
      }
    },
  }).finally(() => {
    process.off("SIGINT", onSigint);
    if (lastReport > 0) process.stderr.write("\n");
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `Wrote ${args.shape} checkpoint (seed ${args.seed}, ${args.linearClass}${args.looping ? ", looping" : ""}) to ${result.dir}: ` +
      `model.safetensors ${formatBytes(result.bytes)}, ${result.tensors} tensors, in ${seconds.toFixed(1)} s`,
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e3).toFixed(1)} kB`;
}
