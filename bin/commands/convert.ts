/**
 * `bitnet convert --model DIR [--out DIR] [--embedding-bits 4|8|16] [--act-quant exact|fast] [--kv-dtype float16|float32]`: hub-format checkpoint → ONNX
 * model folder. Progress on stderr, summary (time, size) on stdout.
 */
import path from "node:path";
import { convertCheckpoint, DEFAULT_ACT_QUANT, DEFAULT_BLOCK_SIZE, DEFAULT_EMBEDDING_BITS, DEFAULT_KV_DTYPE, defaultCacheRoot } from "@/server/convert/convert";
import { parseEmbeddingBits } from "./embedding-bits";
import { parseCommandArgs } from "./args";
import { parseActQuant } from "./act-quant";
import type { KvDtype } from "@/server/convert/onnx/bitnet-graph";

const HELP = `Usage: bitnet convert --model DIR [--out DIR] [--embedding-bits 4|8|16] [--act-quant exact|fast] [--kv-dtype float16|float32]

Converts a hub-format BitNet checkpoint (config.json, model.safetensors, tokenizer files) into an
ONNX model folder with 2-bit ternary weights (com.microsoft.MatMulNBits).

Options:
  --model DIR            the checkpoint folder
  --out DIR              output folder (default: <BITNET_CACHE>/onnx/<model folder name>)
  --embedding-bits N     tied embedding / LM head: 4 or 8 (block-quantized) or 16 (unquantized) (default ${DEFAULT_EMBEDDING_BITS})
  --act-quant MODE       BitLinear activation quantization (default ${DEFAULT_ACT_QUANT}): exact = BitNet's
                         per-token int8, bit for bit; fast = onnxruntime's int8 kernel quantizes
                         per block of --block-size columns (fewer ops, not BitNet's rounding)
  --kv-dtype TYPE        KV-cache storage (default ${DEFAULT_KV_DTYPE}): float16 halves the cache's memory and
                         what attention reads per token; float32 keeps keys and values as computed
  --block-size N         MatMulNBits block size for the ternary weights (default ${DEFAULT_BLOCK_SIZE})
  --accuracy-level N     MatMulNBits accuracy_level (default 4: int8 kernel; 0: fp32 activations, slow)
  --no-fuse              keep q/k/v and gate/up as separate MatMulNBits`;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    model: { type: "string" },
    out: { type: "string" },
    "embedding-bits": { type: "string" },
    "act-quant": { type: "string" },
    "kv-dtype": { type: "string" },
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
    actQuant: parseActQuant(values["act-quant"]),
    kvDtype: parseKvDtype(values["kv-dtype"]),
    onProgress: (message) => process.stderr.write(`\rconvert: ${message}\x1b[K`),
  });
  process.stderr.write("\n");
  console.log(`converted ${values.model} → ${result.outDir} in ${result.seconds.toFixed(1)} s, ${(result.bytes / 1e6).toFixed(1)} MB (embedding ${result.manifest.embeddingBits}-bit, act-quant ${result.manifest.actQuant}, kv ${result.manifest.kvDtype})`);
}

function parseKvDtype(value: string | undefined): KvDtype | undefined {
  if (value === undefined) return undefined;
  if (value !== "float16" && value !== "float32") throw new Error(`--kv-dtype must be float16 or float32 (got ${value})`);
  return value;
}
