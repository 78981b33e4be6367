/**
 * `bitnet convert --model DIR [--out DIR] [--embedding-bits 4|8|16]`: hub-format checkpoint → ONNX
 * model folder. Progress on stderr, summary (time, size) on stdout.
 */
import path from "node:path";
import { convertCheckpoint, DEFAULT_BLOCK_SIZE, DEFAULT_EMBEDDING_BITS, defaultCacheRoot } from "@/server/convert/convert";
import { parseEmbeddingBits } from "./embedding-bits";
import { parseCommandArgs } from "./args";

const HELP = `Usage: bitnet convert --model DIR [--out DIR] [--embedding-bits 4|8|16]

Converts a hub-format BitNet checkpoint (config.json, model.safetensors, tokenizer files) into an
ONNX model folder with 2-bit ternary weights (com.microsoft.MatMulNBits).

Options:
  --model DIR            the checkpoint folder
  --out DIR              output folder (default: <BITNET_CACHE>/onnx/<model folder name>)
  --embedding-bits N     tied embedding / LM head: 4 or 8 (block-quantized) or 16 (unquantized) (default ${DEFAULT_EMBEDDING_BITS})
  --block-size N         MatMulNBits block size for the ternary weights (default ${DEFAULT_BLOCK_SIZE})
  --accuracy-level N     MatMulNBits accuracy_level (default 0: fp32 activations)
  --no-fuse              keep q/k/v and gate/up as separate MatMulNBits`;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    model: { type: "string" },
    out: { type: "string" },
    "embedding-bits": { type: "string" },
    "block-size": { type: "string" },
    "accuracy-level": { type: "string" },
    "no-fuse": { type: "boolean" },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (!values.model) {
    console.error(`bitnet convert: --model is required\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  const outDir = values.out ?? path.join(defaultCacheRoot(), "onnx", path.basename(path.resolve(values.model)));
  const result = await convertCheckpoint({
    modelDir: values.model,
    outDir,
    embeddingBits: parseEmbeddingBits(values["embedding-bits"]),
    blockSize: values["block-size"] ? Number(values["block-size"]) : undefined,
    accuracyLevel: values["accuracy-level"] ? Number(values["accuracy-level"]) : undefined,
    fuseProjections: !values["no-fuse"],
    onProgress: (message) => process.stderr.write(`\rconvert: ${message}\x1b[K`),
  });
  process.stderr.write("\n");
  console.log(`converted ${values.model} → ${result.outDir} in ${result.seconds.toFixed(1)} s, ${(result.bytes / 1e6).toFixed(1)} MB (embedding ${result.manifest.embeddingBits}-bit)`);
}
