/**
 * server/demo/ — generated checkpoints (tiny for tests, 2B-shaped for benchmarks), their tokenizer
 * files and chat template.
 *
 * Random-weight BitNet checkpoints in the exact hub format (config.json, generation_config.json,
 * model.safetensors, tokenizer files), deterministic per seed. `tiny` is for tests; `2b` has the full
 * 2B4T shape for benchmarks and is streamed one tensor at a time (the embedding in chunks), so memory stays
 * small. Written into a temporary sibling folder and renamed at the end: an interrupted run leaves no half folder.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { EMBEDDING, expectedTensors } from "@/server/checkpoint/checkpoint-layout";
import { configJsonFor, parseBitNetConfig, type ConfigOverrides, type LinearClass, type ShapeName } from "@/server/checkpoint/config";
import { float32ToBf16, float32ToBf16Bits } from "@/server/checkpoint/bf16";
import { CheckpointError } from "@/server/checkpoint/errors";
import { createRng, type Rng } from "@/lib/seeded-rng";
import { createSafetensorsWriter, type TensorSpec } from "@/server/checkpoint/safetensors";
import { elementCount } from "@/server/checkpoint/safetensors-header";
import { writeTokenizerAssets } from "./tokenizer-assets";

export interface TinyCheckpointOptions {
  outDir: string;
  seed?: number;
  shape?: ShapeName;
  linearClass?: LinearClass;
  /** Other dimensions (e.g. hidden 96, 3 layers), or raw config keys via `extra`. */
  overrides?: Omit<ConfigOverrides, "linearClass">;
  /**
   * Weight scales 1/1000 of the usual, so each token's embedding dominates the residual stream and greedy
   * decoding repeats itself: the copy-heavy workload of `bitnet bench --speculative`. The cost of a
   * forward pass does not depend on the weights' values, only what the model writes does.
   */
  looping?: boolean;
  /** Called after each tensor with bytes written so far and the total. */
  onProgress?: (bytesWritten: number, totalBytes: number) => void;
  /** Stops between tensors (Ctrl-C in the CLI); the temporary folder is removed and the signal's reason thrown. */
  signal?: AbortSignal;
}

export interface GeneratedCheckpoint {
  dir: string;
  /** Size of model.safetensors. */
  bytes: number;
  tensors: number;
}

/**
 * Weight-scale factor of a looping checkpoint. Measured on the 2B shape (seed 0, greedy, 256 tokens):
 * 1e-3 repeats one token from the first on; 4e-3 writes runs of repeated tokens broken by new ones;
 * 1.5e-2 and up never repeat, like the default scales.
 */
const LOOPING_SCALE = 1e-3;

/** Values per chunk when streaming a big float tensor (2 MB of BF16). */
const CHUNK = 1 << 20;

/** The 81 bytes whose four 2-bit codes are all in {0, 1, 2}: uniform over them = i.i.d. uniform ternary values. */
const TERNARY_BYTES = Uint8Array.from({ length: 81 }, (_, i) => (i % 3) | ((Math.floor(i / 3) % 3) << 2) | ((Math.floor(i / 9) % 3) << 4) | (Math.floor(i / 27) << 6));

export async function generateTinyCheckpoint(options: TinyCheckpointOptions): Promise<GeneratedCheckpoint> {
  const { seed = 0, shape = "tiny", linearClass = "autobitlinear" } = options;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  const configJson = configJsonFor(shape, { ...options.overrides, linearClass });
  const config = parseBitNetConfig(configJson);
  const outDir = path.resolve(options.outDir);
  assertReplaceable(outDir);
  await removeStaleTemps(outDir);

  const tmp = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    await writeFile(path.join(tmp, "config.json"), JSON.stringify(configJson, null, 2) + "\n");
    await writeFile(path.join(tmp, "generation_config.json"), JSON.stringify(generationConfig(config.bosTokenId), null, 2) + "\n");
    const specs = expectedTensors(config);
    const bytes = await writeWeights(path.join(tmp, "model.safetensors"), specs, seed, options.looping ? LOOPING_SCALE : 1, options);
    await writeTokenizerAssets(tmp);
    await replaceDir(tmp, outDir);
    return { dir: outDir, bytes, tensors: specs.length };
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** Hub-like generation config: a chat turn ends at `<|eot_id|>` (128009) as well as `<|end_of_text|>`. */
function generationConfig(bos: number): Record<string, unknown> {
  return { _from_model_config: true, bos_token_id: bos, eos_token_id: [128001, 128009] };
}

async function writeWeights(
  file: string,
  specs: TensorSpec[],
  seed: number,
  scaleFactor: number,
  { onProgress, signal }: Pick<TinyCheckpointOptions, "onProgress" | "signal">,
): Promise<number> {
  const writer = await createSafetensorsWriter(file, specs);
  const total = specs.reduce((sum, s) => sum + elementCount(s.shape) * (s.dtype === "U8" ? 1 : 2), 0);
  let written = 0;
  try {
    for (const spec of specs) {
      signal?.throwIfAborted();
      const rng = createRng(seed, spec.name);
      const count = elementCount(spec.shape);
      if (spec.dtype === "U8") {
        await writer.write(spec.name, randomPackedTernary(rng, count));
      } else if (spec.name === EMBEDDING) {
        for (let start = 0; start < count; start += CHUNK) {
          signal?.throwIfAborted();
          const n = Math.min(CHUNK, count - start);
          const values = new Float32Array(n);
          rng.fillNormal(values, 0, 0.02);
          await writer.writeChunk(spec.name, float32ToBf16(values));
        }
      } else if (spec.name.endsWith("_scale")) {
        await writer.write(spec.name, randomBf16(count, () => scaleFactor * rng.uniform(1, 3)));
      } else {
        await writer.write(spec.name, randomBf16(count, () => rng.uniform(0.5, 1.5)));
      }
      written += count * (spec.dtype === "U8" ? 1 : 2);
      onProgress?.(written, total);
    }
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return (await stat(file)).size;
}

function randomPackedTernary(rng: Rng, count: number): Uint8Array {
  const out = new Uint8Array(count);
  const random = new Uint32Array(Math.ceil(count / 2));
  rng.fillU32(random);
  // One u32 → an index in 0..81²-1 → two bytes; the bias (6561 / 2^32) is far below anything measurable.
  for (let i = 0; i < count; i += 2) {
    const pair = Math.floor((random[i >>> 1] * 6561) / 4294967296);
    out[i] = TERNARY_BYTES[pair % 81];
    if (i + 1 < count) out[i + 1] = TERNARY_BYTES[(pair / 81) | 0];
  }
  return out;
}

function randomBf16(count: number, sample: () => number): Uint8Array {
  const bits = new Uint16Array(count);
  for (let i = 0; i < count; i++) bits[i] = float32ToBf16Bits(sample());
  return new Uint8Array(bits.buffer);
}

/** Refuses to overwrite a folder that is neither empty nor a BitNet checkpoint (e.g. a typo'd --out). */
function assertReplaceable(outDir: string): void {
  if (!existsSync(outDir)) return;
  const entries = readdirSync(outDir);
  if (entries.length === 0) return;
  let modelType: unknown;
  try {
    modelType = JSON.parse(readFileSync(path.join(outDir, "config.json"), "utf8")).model_type;
  } catch {
    modelType = undefined;
  }
  if (modelType !== "bitnet") {
    throw new CheckpointError(
      "write_error",
      `${outDir} already exists and is not a BitNet checkpoint folder; refusing to overwrite it. Choose another --out or remove it.`,
    );
  }
}

/** Temporary folders of earlier runs that were killed (their process is gone) would otherwise pile up. */
async function removeStaleTemps(outDir: string): Promise<void> {
  const parent = path.dirname(outDir);
  if (!existsSync(parent)) return;
  const pattern = new RegExp(`^${escapeRegExp(path.basename(outDir))}\\.(?:tmp|old)-(\\d+)-\\d+$`);
  for (const entry of readdirSync(parent)) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (pid && !isRunning(pid)) await rm(path.join(parent, entry), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function replaceDir(tmp: string, outDir: string): Promise<void> {
  if (!existsSync(outDir)) {
    await rename(tmp, outDir);
    return;
  }
  const old = `${outDir}.old-${process.pid}-${Date.now()}`;
  await rename(outDir, old);
  await rename(tmp, outDir);
  await rm(old, { recursive: true, force: true });
}
