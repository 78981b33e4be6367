/**
 * `bitnet export-gguf --model DIR --out FILE [--embedding q6_k|q8_0|f16]`: writes the checkpoint as a
 * llama.cpp GGUF (TQ2_0 ternary weights), e.g. to benchmark llama.cpp on exactly our model.
 */
import { DEFAULT_GGUF_EMBEDDING, exportGguf } from "@/server/convert/gguf/export-gguf";
import { EMBEDDING_TYPES, type EmbeddingType } from "@/server/convert/gguf/bitnet-tensors";
import { parseCommandArgs } from "./args";

const HELP = `Usage: bitnet export-gguf --model DIR --out FILE [--embedding q6_k|q8_0|f16]

Writes a hub-format BitNet checkpoint as a llama.cpp GGUF file (architecture "bitnet"): ternary
projections as TQ2_0 with per-tensor scales, the tied embedding / LM head quantized, the Llama 3
tokenizer and chat template.

Options:
  --model DIR        the checkpoint folder (config.json, model.safetensors, tokenizer.json)
  --out FILE         the .gguf file to write (replaced if it exists)
  --embedding TYPE   q6_k, q8_0 or f16 (default ${DEFAULT_GGUF_EMBEDDING}; q6_k needs hidden_size % 256 == 0, else q8_0 is used)`;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { model: { type: "string" }, out: { type: "string" }, embedding: { type: "string" } });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (!values.model || !values.out) throw new Error(`--model and --out are required\n\n${HELP}`);
  const embedding = (values.embedding ?? DEFAULT_GGUF_EMBEDDING) as EmbeddingType;
  if (!EMBEDDING_TYPES.includes(embedding)) throw new Error(`--embedding must be one of ${EMBEDDING_TYPES.join(", ")} (got "${values.embedding}")`);
  const result = await exportGguf({
    modelDir: values.model,
    outFile: values.out,
    embeddingType: embedding,
    onProgress: (message) => process.stderr.write(`\rexport-gguf: ${message}\x1b[K`),
  });
  process.stderr.write("\n");
  console.log(
    `exported ${values.model} → ${result.outFile} in ${result.seconds.toFixed(1)} s, ${(result.bytes / 1e6).toFixed(1)} MB ` +
      `(${result.tensors} tensors, projections ${result.linearType}, embedding ${result.embeddingType})`,
  );
}
