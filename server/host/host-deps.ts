/**
 * The steps the model host runs, passed in as functions so the host can be tested with a fake hub
 * and without a real converter or engine.
 */
import type { Engine } from "@/server/engine/types";
import type { WeightFootprint } from "@/server/runtime/weight-footprint";
import type { SnapshotRequest, SnapshotResult } from "@/server/hub/download-snapshot";

export interface StepProgress {
  done: number;
  total: number;
  detail?: string;
}

export interface LoadedModel {
  engine: Engine;
  /** Weight bytes per token and parameter count, for the efficiency meter (absent in test fakes). */
  weights?: WeightFootprint;
  /** The kernel the ternary projections run on ("ternary-avx2", "mlas", …). */
  kernel?: string;
  dispose(): Promise<void>;
}

export interface HostDeps {
  download(request: SnapshotRequest): Promise<SnapshotResult>;
  /** Writes a random-weight hub-format checkpoint into `outDir`. */
  generateDemo(outDir: string): Promise<void>;
  /** Converts a hub-format checkpoint once (cached under `cacheRoot`) and returns the converted folder. */
  convert(checkpointDir: string, cacheRoot: string, onProgress: (p: StepProgress) => void): Promise<string>;
  load(modelDir: string, options: { threads: number; onProgress: (p: StepProgress) => void }): Promise<LoadedModel>;
}

export interface HostConfig {
  /** BITNET_MODEL as given (undefined = the default repo). */
  model: string | undefined;
  /** This app's cache: converted models, the demo (BITNET_CACHE). */
  cacheRoot: string;
  /** The Hugging Face cache downloads go to (HF_HUB_CACHE / HF_HOME). */
  hubCache: string;
  hubUrl: string;
  accessToken: string | undefined;
  revision: string;
  /** HF_HUB_OFFLINE: cached snapshots only. */
  offline: boolean;
  threads: number;
}
