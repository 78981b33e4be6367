/**
 * Test checkpoints, generated once per checkout into `test-models/` (git-ignored) and reused:
 * a tiny hub-format checkpoint with the real Llama 3 vocabulary, and its ONNX conversion.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { generateTinyCheckpoint } from "@/server/demo/tiny-checkpoint";
import { ensureConverted } from "@/server/convert/convert";

export const TEST_MODELS_DIR = path.resolve(import.meta.dirname, "../../test-models");

export interface TestModels {
  /** Hub-format tiny checkpoint (config.json, model.safetensors, tokenizer files). */
  tinySource: string;
  /** The same checkpoint converted to an ONNX model folder. */
  tinyOnnx: string;
}

export async function ensureTestModels(): Promise<TestModels> {
  const tinySource = path.join(TEST_MODELS_DIR, "tiny-src");
  if (!existsSync(path.join(tinySource, "model.safetensors"))) {
    await generateTinyCheckpoint({ outDir: tinySource, seed: 1, shape: "tiny" });
  }
  const tinyOnnx = await ensureConverted(tinySource, path.join(TEST_MODELS_DIR, "cache"));
  return { tinySource, tinyOnnx };
}
