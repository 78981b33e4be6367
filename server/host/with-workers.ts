/**
 * `BITNET_WORKERS` around the local model host: the engine it hands out is the worker pool (which also
 * routes to the local model while one is loaded), and its status lists the workers. With
 * `BITNET_MODEL=none` there is no local model: the app is UI + database, and the status is the pool's —
 * ready while at least one worker answers. The offline demo can still be switched on from the UI.
 */
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import { EngineError, type Engine } from "@/server/engine/types";
import type { WorkerEndpoint } from "@/server/workers/worker-config";
import { WorkerPool } from "@/server/workers/worker-pool";
import type { ModelHost } from "./model-host-types";

export interface WithWorkersOptions {
  endpoints: WorkerEndpoint[];
  /** False for BITNET_MODEL=none: the local host is only started if the user asks for the demo. */
  localModel: boolean;
  healthIntervalMs?: number;
  /** BITNET_WORKERS could not be parsed: shown as the status error instead of a pool problem. */
  configError?: string;
}

export function withWorkers(local: ModelHost, options: WithWorkersOptions): ModelHost & { pool: WorkerPool } {
  const listeners = new Set<(status: ModelStatusDto) => void>();
  const localEngine = (): Engine | null => {
    if (local.status().state !== "ready") return null;
    try {
      return local.engine();
    } catch {
      return null;
    }
  };
  const pool = new WorkerPool({
    endpoints: options.endpoints,
    localEngine,
    healthIntervalMs: options.healthIntervalMs,
    onChange: () => notify(),
  });
  // The local host counts once it is configured or the user switched it on (the demo); until then, "idle".
  const localActive = () => options.localModel || local.status().state !== "idle";

  const status = (): ModelStatusDto => {
    const workers = pool.statuses();
    const up = workers.find((w) => w.state === "up");
    if (localActive()) {
      const base = local.status();
      return { ...base, state: up ? "ready" : base.state, contextLength: up || base.state === "ready" ? pool.contextLength : null, workers };
    }
    const checking = workers.some((w) => w.state === "checking");
    const error = options.configError
      ? { code: "invalid_workers", message: options.configError, hint: "Fix BITNET_WORKERS and restart, or use the offline demo model here." }
      : workers.length === 0
        ? {
            code: "no_model",
            message: "This server runs without a local model (BITNET_MODEL=none) and BITNET_WORKERS is empty.",
            hint: "Set BITNET_WORKERS to OpenAI-compatible servers (e.g. http://host:3000/v1), or use the offline demo model here.",
          }
        : {
            code: "workers_unreachable",
            message: "No inference worker is reachable.",
            hint: "Start the servers listed in BITNET_WORKERS (they are checked every few seconds), or use the offline demo model here.",
          };
    return {
      state: up ? "ready" : checking ? "loading" : "error",
      modelId: up?.model ?? "inference workers",
      isDemo: false,
      progress: null,
      error: up || checking ? null : error,
      contextLength: up ? pool.contextLength : null,
      workers,
    };
  };

  const notify = () => {
    const current = status();
    for (const listener of listeners) listener(current);
  };
  local.subscribe(() => notify());

  return {
    pool,
    status,
    start() {
      if (options.localModel) local.start();
      pool.start();
    },
    useDemoModel: () => local.useDemoModel(),
    useRealModel: () => local.useRealModel(),
    async retry() {
      if (localActive() && local.status().state === "error") await local.retry();
      await pool.checkAll();
    },
    engine(): Engine {
      if (pool.hasCandidate()) return pool;
      if (localActive()) local.engine(); // throws not_ready with what the local model is doing
      throw new EngineError("not_ready", status().error?.message ?? "No inference worker is reachable yet.");
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
