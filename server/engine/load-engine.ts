/**
 * Loads a converted model folder into a ready engine: tokenizer (transformers.js, from the folder's
 * tokenizer files) and the ONNX runner. The process-wide singleton lives in the model host (server/host).
 */
import { loadTokenizer } from "@/server/runtime/load-tokenizer";
import { loadOnnxRunner } from "@/server/runtime/onnx-runner";
import type { KernelChoice } from "@/server/runtime/runner-session";
import { collectGarbage } from "@/server/runtime/collect-garbage";
import type { ModelRunner } from "@/server/runtime/runner-types";
import { createChatTokenizer, type ChatTokenizer } from "./chat-prompt";
import { createEngine } from "./create-engine";
import type { Engine } from "./types";

export interface LoadProgress {
  done: number;
  total: number;
  detail?: string;
}

export interface LoadEngineOptions {
  /** Intra-op threads for onnxruntime (default: every core). */
  threads?: number;
  /** The projections' kernel (default: BITNET_KERNEL, else the project's ternary kernel when built). */
  kernel?: KernelChoice;
  onProgress?: (progress: LoadProgress) => void;
  /** Requests that may wait behind the running one (default: BITNET_MAX_QUEUE or 8). */
  maxQueue?: number;
}

export interface LoadedEngine {
  engine: Engine;
  runner: ModelRunner;
  tokenizer: ChatTokenizer;
  dispose(): Promise<void>;
}

export async function loadEngine(modelDir: string, options: LoadEngineOptions = {}): Promise<LoadedEngine> {
  const total = 3;
  options.onProgress?.({ done: 0, total, detail: "tokenizer" });
  const tokenizer = await loadTokenizer(modelDir);
  options.onProgress?.({ done: 1, total, detail: "ONNX session" });
  const runner = await loadOnnxRunner(modelDir, { threads: options.threads, kernel: options.kernel });
  options.onProgress?.({ done: 2, total, detail: "warm-up" });
  // The first run allocates onnxruntime's buffers and pages the weights in: pay for it at load time,
  // not in the first user's time to first token.
  await runner.forward([runner.info.bosTokenId]);
  runner.truncate(0);
  // The tokenizer's parse garbage: collected now, its pages go back to the OS while the app idles.
  collectGarbage();
  options.onProgress?.({ done: 3, total, detail: "ready" });
  const chat = createChatTokenizer(tokenizer, { bosTokenId: runner.info.bosTokenId });
  const engine = createEngine({ runner, tokenizer: chat, maxQueue: options.maxQueue });
  return { engine, runner, tokenizer: chat, dispose: () => runner.dispose() };
}
