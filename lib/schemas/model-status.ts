/** What `GET /api/model` answers; drives the status indicator and the composer's enabled state. */
export type ModelState = "idle" | "downloading" | "converting" | "loading" | "ready" | "error";

export interface ModelProgress {
  phase: "download" | "convert" | "load";
  done: number;
  total: number;
  unit: "bytes" | "steps";
  /** Download only. */
  bytesPerSecond?: number;
  etaSeconds?: number;
  /** Human text of what is happening, e.g. "model.safetensors". */
  detail?: string;
}

export interface ModelStatusDto {
  state: ModelState;
  /** e.g. "microsoft/bitnet-b1.58-2B-4T" or "demo". */
  modelId: string;
  /** True for the offline demo: random weights that produce nonsense. */
  isDemo: boolean;
  /**
   * While the demo stands in for a configured model (chosen with "Use offline demo model", remembered
   * across restarts): that model's id, for "Use the real model". Null or absent otherwise.
   */
  realModel?: string | null;
  progress: ModelProgress | null;
  error: { code: string; message: string; hint: string } | null;
  /** Context size in tokens, once known. */
  contextLength: number | null;
  /** Weight traffic per generated token of the loaded local model (the efficiency meter); absent otherwise. */
  weights?: WeightsDto | null;
  /** The kernel the loaded model's ternary projections run on: "ternary-<isa>" (the project's) or "mlas". */
  kernel?: string | null;
  /** With BITNET_WORKERS: the OpenAI-compatible inference workers and their state. */
  workers?: WorkerStatusDto[];
}

export interface WorkerStatusDto {
  /** Base URL (credentials removed). */
  url: string;
  state: "checking" | "up" | "down";
  model: string | null;
  /** Answers this server has sent to it and not yet finished. */
  inFlight: number;
  /** Answers it has finished for this server since start. */
  served: number;
  /** Why it is down. */
  error: string | null;
}

export interface WeightsDto {
  /** Bytes of weights read per generated token (the converted model's weight files). */
  bytesPerToken: number;
  parameters: number;
  /** The same model's weights at 16 bits each. */
  fp16BytesPerToken: number;
}
