/**
 * One acquisition run: download (hub repos) or generate (demo) a checkpoint, convert it once, load it.
 * Reports each phase's progress through `report`; stops between steps (and inside the download) when
 * `signal` aborts, disposing anything it loaded after the abort.
 */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import type { ModelProgress, ModelState } from "@/lib/schemas/model-status";
import type { ModelSource } from "./model-source";
import type { HostConfig, HostDeps, LoadedModel, StepProgress } from "./host-deps";
import type { Phase } from "./host-error";

export interface AcquireReport {
  state: ModelState;
  progress: ModelProgress | null;
}

export class PhaseError extends Error {
  constructor(
    readonly phase: Phase,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

export async function acquireModel(
  source: ModelSource,
  deps: HostDeps,
  config: HostConfig,
  report: (r: AcquireReport) => void,
  signal: AbortSignal,
): Promise<LoadedModel> {
  const step = async <T>(phase: Phase, run: () => Promise<T>): Promise<T> => {
    signal.throwIfAborted();
    try {
      return await run();
    } catch (error) {
      throw signal.aborted ? signal.reason : new PhaseError(phase, error);
    }
  };
  const steps = (phase: "convert" | "load", state: ModelState) => (p: StepProgress) =>
    report({ state, progress: { phase, done: p.done, total: p.total, unit: "steps", detail: p.detail } });

  let modelDir: string;
  if (source.kind === "converted") {
    modelDir = source.dir;
  } else {
    let checkpointDir: string;
    if (source.kind === "hub") {
      report({ state: "downloading", progress: { phase: "download", done: 0, total: 0, unit: "bytes", detail: "Contacting the hub" } });
      const snapshot = await step("download", () =>
        deps.download({
          repo: source.repo,
          revision: source.revision,
          config: { hubUrl: config.hubUrl, accessToken: config.accessToken, cacheRoot: config.cacheRoot, hubCache: config.hubCache, offline: config.offline },
          signal,
          onWaiting: () =>
            report({
              state: "downloading",
              progress: { phase: "download", done: 0, total: 0, unit: "bytes", detail: "Waiting for another download of this model (bitnet pull?) to finish" },
            }),
          onProgress: (p) =>
            report({
              state: "downloading",
              progress: {
                phase: "download",
                done: p.bytesDone,
                total: p.bytesTotal,
                unit: "bytes",
                bytesPerSecond: p.bytesPerSecond,
                etaSeconds: p.etaSeconds ?? undefined,
                detail: p.file,
              },
            }),
        }),
      );
      checkpointDir = snapshot.dir;
    } else if (source.kind === "demo") {
      report({ state: "converting", progress: { phase: "convert", done: 0, total: 1, unit: "steps", detail: "Generating the demo model (random weights)" } });
      checkpointDir = await step("demo", () => ensureDemoCheckpoint(deps, config.cacheRoot));
    } else {
      checkpointDir = source.dir;
    }
    report({ state: "converting", progress: { phase: "convert", done: 0, total: 1, unit: "steps", detail: "Converting to ONNX" } });
    modelDir = await step("convert", () =>
      deps.convert(checkpointDir, config.cacheRoot, steps("convert", "converting")),
    );
  }

  report({ state: "loading", progress: { phase: "load", done: 0, total: 1, unit: "steps", detail: "Loading the model" } });
  const loaded = await step("load", () => deps.load(modelDir, { threads: config.threads, onProgress: steps("load", "loading") }));
  if (signal.aborted) {
    await loaded.dispose();
    throw signal.reason;
  }
  return loaded;
}

/** `<cache>/demo/checkpoint`, generated once; written to a temp folder and renamed so a half model is never used. */
async function ensureDemoCheckpoint(deps: HostDeps, cacheRoot: string): Promise<string> {
  const dir = path.join(cacheRoot, "demo", "checkpoint");
  const marker = path.join(dir, ".complete");
  if (existsSync(marker)) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    await deps.generateDemo(tmp);
    await writeFile(path.join(tmp, ".complete"), new Date().toISOString());
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return dir;
}
