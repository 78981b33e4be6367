/**
 * server/host/ — the process-wide model host: acquires (download/convert/load) the model once and
 * hands the engine to the chat and OpenAI layers; its status feeds `/api/model`.
 *
 * The process-wide model host. Kept on `globalThis` so Next.js dev reloads (which re-evaluate modules)
 * reuse the loaded model instead of loading a second copy, and so the copy of this module that Next
 * bundles for `instrumentation.ts` (which starts acquisition at server start) and the copies in route
 * handlers share one host.
 *
 * No `import "server-only"` here: Next compiles instrumentation outside the React server layer, where that
 * package throws; the server/ folder is the boundary instead.
 */
import os from "node:os";
import type { ModelHost } from "./model-host-types";
import { downloadSnapshot } from "@/server/hub/download-snapshot";
import { hubConfigFromEnv, type Env } from "@/server/hub/hub-config";
import { parseWorkers, type WorkerEndpoint } from "@/server/workers/worker-config";
import { createModelHost, type TestableModelHost } from "./create-model-host";
import { withWorkers } from "./with-workers";
import type { HostConfig, HostDeps, StepProgress } from "./host-deps";

/** The demo's random weights are fixed so every machine shows the same (nonsense) model. */
const DEMO_SEED = 20260101;

export function hostConfigFromEnv(env: Env = process.env): HostConfig {
  const hub = hubConfigFromEnv(env);
  const threads = Number.parseInt(env.BITNET_THREADS ?? "", 10);
  return {
    model: env.BITNET_MODEL,
    cacheRoot: hub.cacheRoot,
    hubCache: hub.hubCache,
    hubUrl: hub.hubUrl,
    accessToken: hub.accessToken,
    revision: hub.revision,
    offline: hub.offline,
    threads: Number.isFinite(threads) && threads > 0 ? threads : os.availableParallelism(),
  };
}

/**
 * The real pipeline. The converter and the engine are imported lazily: onnxruntime and the
 * tokenizer are only loaded when a model is, not when a page imports the host for its status.
 */
export const defaultHostDeps: HostDeps = {
  download: downloadSnapshot,
  async generateDemo(outDir) {
    const { generateTinyCheckpoint } = await import("@/server/demo/tiny-checkpoint");
    await generateTinyCheckpoint({ outDir, seed: DEMO_SEED, shape: "tiny" });
  },
  async convert(checkpointDir, cacheRoot, onProgress) {
    // In a child process: minutes of CPU that would otherwise stall every request (see convert-in-child).
    const { convertInChildProcess } = await import("./convert-in-child");
    return convertInChildProcess(checkpointDir, cacheRoot, (message) => onProgress(convertStep(message)));
  },
  async load(modelDir, { threads, onProgress }) {
    const { loadEngine } = await import("@/server/engine/engine");
    const { engine, dispose } = await loadEngine(modelDir, {
      threads,
      onProgress: (p) => onProgress({ ...p, detail: p.detail && `Loading: ${p.detail}` }),
    });
    const { readWeightFootprint } = await import("@/server/runtime/weight-footprint");
    return { engine, dispose, weights: readWeightFootprint(modelDir) };
  },
};

/** The converter reports text ("hashing source", "layer 3/30"); layers are the steps worth a progress bar. */
function convertStep(message: string): StepProgress {
  const layer = /layer (\d+)\/(\d+)/.exec(message);
  if (layer) return { done: Number(layer[1]), total: Number(layer[2]), detail: `Converting layer ${layer[1]} of ${layer[2]}` };
  return { done: 0, total: 1, detail: message.charAt(0).toUpperCase() + message.slice(1) };
}

const globalForHost = globalThis as typeof globalThis & { __bitnetModelHost?: ModelHost; __bitnetLocalHost?: TestableModelHost };

export function getModelHost(): ModelHost {
  globalForHost.__bitnetModelHost ??= createConfiguredHost(process.env, (local) => (globalForHost.__bitnetLocalHost = local));
  return globalForHost.__bitnetModelHost;
}

/**
 * The local model host, wrapped in the worker pool when BITNET_WORKERS is set or there is no local
 * model (BITNET_MODEL=none: UI + database, generation only through workers or the demo).
 */
export function createConfiguredHost(env: Env = process.env, onLocal?: (local: TestableModelHost) => void): ModelHost {
  const config = hostConfigFromEnv(env);
  const localModel = config.model?.trim().toLowerCase() !== "none";
  let endpoints: WorkerEndpoint[] = [];
  let configError: string | undefined;
  try {
    endpoints = parseWorkers(env.BITNET_WORKERS);
  } catch (error) {
    configError = error instanceof Error ? error.message : String(error);
    console.error(`[model] ${configError}`);
  }
  const local = createModelHost(defaultHostDeps, localModel ? config : { ...config, model: "demo" });
  onLocal?.(local);
  if (localModel && endpoints.length === 0 && !configError) return local;
  return withWorkers(local, { endpoints, localModel, configError });
}

/** Stops running answers (after their current step) and frees the model, if a host was ever created. */
export async function disposeModelHost(): Promise<void> {
  await globalForHost.__bitnetLocalHost?.dispose();
}
