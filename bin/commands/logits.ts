/**
 * `bitnet logits --model DIR --ids 1,2,3 [--all] [--embedding-bits N] [--act-quant exact|fast]`: prints ONE JSON object
 * {"argmax": [per position], "logits_last": [vocab floats]} (+ "logits": [[...], ...] with --all).
 * DIR may be a converted folder or a hub-format checkpoint (converted into the cache on first use).
 */
import { ensureConverted } from "@/server/convert/convert";
import { loadOnnxRunner } from "@/server/runtime/onnx-runner";
import { parseEmbeddingBits } from "./embedding-bits";
import { parseCommandArgs } from "./args";
import { parseActQuant } from "./act-quant";

const HELP = `Usage: bitnet logits --model DIR --ids 1,2,3 [--all] [--embedding-bits 4|8|16] [--act-quant exact|fast]

A hub checkpoint is converted on first use with the given embedding bits and activation quantization
(each combination cached separately); a converted folder must have been converted with them.`;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    model: { type: "string" },
    ids: { type: "string" },
    all: { type: "boolean" },
    "embedding-bits": { type: "string" },
    "act-quant": { type: "string" },
    threads: { type: "string" },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (!values.model || !values.ids) {
    console.error(`bitnet logits: --model and --ids are required\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  const ids = values.ids.split(",").map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 0) throw new Error(`--ids: "${s}" is not a token id`);
    return n;
  });
  const dir = await ensureConverted(values.model, undefined, { embeddingBits: parseEmbeddingBits(values["embedding-bits"]), actQuant: parseActQuant(values["act-quant"]) });
  const runner = await loadOnnxRunner(dir, { threads: values.threads ? Number(values.threads) : undefined });
  try {
    const V = runner.info.vocabSize;
    const logits = await runner.forward(ids, { keepLogits: ids.length });
    const rows = ids.map((_, t) => Array.from(logits.subarray(t * V, (t + 1) * V)));
    const argmax = rows.map((row) => row.reduce((best, v, i) => (v > row[best] ? i : best), 0));
    const out: Record<string, unknown> = { argmax, logits_last: rows[rows.length - 1] };
    if (values.all) out.logits = rows;
    process.stdout.write(JSON.stringify(out) + "\n");
  } finally {
    await runner.dispose();
  }
}
