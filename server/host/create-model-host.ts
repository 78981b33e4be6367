/**
 * The ModelHost behind `getModelHost()`: runs one acquisition at a time, keeps the status (with
 * per-phase progress and actionable errors), and lets the UI switch to the demo model or retry.
 * Failures only ever change the status: nothing here throws into the server.
 */
import { EngineError, type Engine } from "@/server/engine/types";
import type { ModelHost } from "./model-host-types";
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import { acquireModel, PhaseError } from "./acquire-model";
import { HostError, toStatusError } from "./host-error";
import { forgetDemo, isDemoRemembered, rememberDemo } from "./demo-choice";
import { modelIdOf, resolveModelSource, type ModelSource } from "./model-source";
import type { HostConfig, HostDeps, LoadedModel } from "./host-deps";

export interface TestableModelHost extends ModelHost {
  /** Resolves with the status once the current run is ready or failed. */
  settled(): Promise<ModelStatusDto>;
  /** Stops any run and frees the engine (process shutdown, tests). */
  dispose(): Promise<void>;
}

export function createModelHost(deps: HostDeps, config: HostConfig, log: Pick<Console, "info" | "error"> = console): TestableModelHost {
  let status: ModelStatusDto = {
    state: "idle",
    modelId: config.model?.trim() || "microsoft/bitnet-b1.58-2B-4T",
    isDemo: config.model?.trim().toLowerCase() === "demo",
    realModel: null,
    progress: null,
    error: null,
    contextLength: null,
  };
  const listeners = new Set<(s: ModelStatusDto) => void>();
  let source: ModelSource | null = null;
  /** What BITNET_MODEL names (resolved once; null while unresolved or invalid). */
  let configured: ModelSource | null = null;
  const resolveConfigured = (): ModelSource => (configured ??= resolveModelSource(config.model, config.revision));
  let loaded: LoadedModel | null = null;
  let controller: AbortController | null = null;
  let running: Promise<void> = Promise.resolve();
  let started = false;

  const set = (patch: Partial<ModelStatusDto>) => {
    const phaseChanged = patch.state !== undefined && patch.state !== status.state;
    status = { ...status, ...patch };
    if (phaseChanged) {
      if (status.state === "error") log.error(`[model] ${status.error?.message} ${status.error?.hint}`);
      else log.info(`[model] ${status.modelId}: ${status.state}`);
    }
    for (const listener of listeners) {
      try {
        listener(status);
      } catch (error) {
        log.error("[model] status listener failed", error);
      }
    }
  };

  /**
   * Stops the current run and frees the engine before anything new is loaded (2B weights are ~1 GB of RAM).
   * The engine is closed first: running answers stop after their current step (and are saved as stopped)
   * and new ones are refused with 503, so the session is never disposed under a running forward pass.
   */
  const stop = async (reason: string) => {
    controller?.abort(new HostError("superseded", "Switched to another model.", ""));
    await running.catch(() => {});
    const old = loaded;
    if (old) await old.engine.close?.(reason).catch((error: unknown) => log.error("[model] closing the engine failed", error));
    loaded = null;
    if (old) await old.dispose().catch((error: unknown) => log.error("[model] dispose failed", error));
  };

  const run = (next: ModelSource) => {
    source = next;
    const own = new AbortController();
    controller = own;
    // The model the demo stands in for, when one is configured: the UI offers to switch back to it.
    const realModel = next.kind === "demo" && configured && configured.kind !== "demo" ? modelIdOf(configured) : null;
    set({ state: "idle", modelId: modelIdOf(next), isDemo: next.kind === "demo", realModel, progress: null, error: null, contextLength: null, weights: null, kernel: null });
    running = acquireModel(next, deps, config, (r) => !own.signal.aborted && set(r), own.signal).then(
      (model) => {
        loaded = model;
        set({ state: "ready", progress: null, error: null, contextLength: model.engine.contextLength, weights: model.weights ?? null, kernel: model.kernel ?? null });
      },
      (error: unknown) => {
        if (own.signal.aborted) return;
        const statusError = error instanceof PhaseError ? toStatusError(error.error, error.phase) : toStatusError(error, "load");
        set({ state: "error", progress: null, error: statusError });
      },
    );
  };

  /** A configured model other than the demo (an invalid BITNET_MODEL counts: the demo stands in for it). */
  const configuredReal = (): boolean => {
    try {
      return resolveConfigured().kind !== "demo";
    } catch {
      return true;
    }
  };

  /** The configured model's id, as the status shows it (an invalid BITNET_MODEL: its text). */
  const configuredId = (): string => {
    try {
      return modelIdOf(resolveConfigured());
    } catch {
      return config.model?.trim() ?? "";
    }
  };

  /** Whether `real` can be loaded without the network: local folders always; a hub repo when its snapshot is cached. */
  const availableOffline = async (real: ModelSource): Promise<boolean> => {
    if (real.kind !== "hub") return true;
    try {
      await deps.download({
        repo: real.repo,
        revision: real.revision,
        config: { hubUrl: config.hubUrl, accessToken: config.accessToken, cacheRoot: config.cacheRoot, hubCache: config.hubCache, offline: true },
      });
      return true;
    } catch {
      return false;
    }
  };

  const host: TestableModelHost = {
    status: () => status,
    start() {
      if (started) return;
      started = true;
      let real: ModelSource;
      try {
        real = resolveConfigured();
      } catch (error) {
        set({ state: "error", progress: null, error: toStatusError(error, "load") });
        return;
      }
      // Only a choice made for this configured model applies: another one (a local folder, once) runs as it is
      // and leaves the choice for the model it was made for.
      if (real.kind === "demo" || !isDemoRemembered(config.cacheRoot, modelIdOf(real))) return run(real);
      // The demo was chosen before a restart: keep it until the real model is there without the network.
      set({ modelId: "demo", isDemo: true, realModel: modelIdOf(real) });
      const decided = (async () => {
        if (await availableOffline(real)) {
          log.info(`[model] ${modelIdOf(real)} is available: the remembered demo choice is dropped`);
          forgetDemo(config.cacheRoot);
          run(real);
        } else run({ kind: "demo" });
      })();
      running = decided;
    },
    /**
     * Resolves once the old engine is freed and the demo run has started; status()/subscribe() tell the
     * outcome. The choice is remembered across restarts (see demo-choice.ts).
     */
    async useDemoModel() {
      started = true;
      if (configuredReal()) rememberDemo(config.cacheRoot, configuredId());
      // Already on (or on the way to) the demo: a second click must not restart it.
      if (source?.kind === "demo" && status.state !== "error") return;
      await stop("Switching to the demo model; retry in a moment.");
      run({ kind: "demo" });
    },
    /** Forgets the demo choice and goes back to the configured model (downloading it if needed). */
    async useRealModel() {
      started = true;
      forgetDemo(config.cacheRoot);
      let real: ModelSource;
      try {
        real = resolveConfigured();
      } catch (error) {
        await stop("Switching models; retry in a moment.");
        set({ state: "error", isDemo: false, realModel: null, progress: null, error: toStatusError(error, "load") });
        return;
      }
      if (real.kind === "demo" || (source === real && status.state !== "error")) return;
      await stop("Switching to the real model; retry in a moment.");
      run(real);
    },
    /** Re-runs the failed source (a download resumes where it stopped); resolves once the run has started. */
    async retry() {
      started = true;
      if (status.state !== "error" && status.state !== "idle") return;
      await stop("Reloading the model; retry in a moment.");
      if (source) run(source);
      else {
        started = false;
        host.start();
      }
    },
    engine(): Engine {
      if (loaded && status.state === "ready") return loaded.engine;
      throw new EngineError("not_ready", notReadyMessage(status));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async settled() {
      // A switch (demo, retry) replaces the run while we wait: wait for the latest one.
      for (let current = running; ; current = running) {
        await current;
        if (current === running) return status;
      }
    },
    async dispose() {
      await stop("The server is shutting down.");
      listeners.clear();
    },
  };
  return host;
}

function notReadyMessage(status: ModelStatusDto): string {
  const p = status.progress;
  const percent = p && p.total > 0 ? ` (${Math.floor((p.done / p.total) * 100)}%)` : "";
  switch (status.state) {
    case "error":
      return `The model is not available: ${status.error?.message} ${status.error?.hint}`.trim();
    case "downloading":
      return `The model is still downloading${percent}; chat will work once it is ready.`;
    case "converting":
      return `The model is being converted${percent}; chat will work once it is ready.`;
    case "loading":
      return "The model is loading; chat will work in a moment.";
    default:
      return "The model has not started loading yet.";
  }
}
