/** Human wording of the model's state: the header pill, and why the composer cannot send yet. */
import { formatBytes, formatEta, percent } from "@/lib/format";
import type { ModelProgress, ModelStatusDto } from "@/lib/schemas/model-status";

export const DEMO_LABEL = "DEMO — random weights, output is nonsense";

const PHASE_TITLES = { download: "Downloading the model", convert: "Converting the model", load: "Loading the model" } as const;

export function progressTitle(progress: ModelProgress): string {
  return PHASE_TITLES[progress.phase];
}

/** `1.2 GB of 4.8 GB · 25.0 MB/s · 2 min left` for downloads, `12 of 30 steps` otherwise. */
export function progressDetail(progress: ModelProgress): string {
  if (progress.unit === "bytes") {
    const parts = [`${formatBytes(progress.done)} of ${progress.total > 0 ? formatBytes(progress.total) : "?"}`];
    if (progress.bytesPerSecond && progress.bytesPerSecond > 0) parts.push(`${formatBytes(progress.bytesPerSecond)}/s`);
    if (progress.etaSeconds !== undefined && Number.isFinite(progress.etaSeconds)) parts.push(`${formatEta(progress.etaSeconds)} left`);
    return parts.join(" · ");
  }
  return progress.total > 0 ? `${progress.done} of ${progress.total} steps` : `${progress.done} steps`;
}

/** Short text for the header indicator. */
export function statusSummary(status: ModelStatusDto | null, unreachable: string | null): string {
  if (unreachable) return "Server unreachable";
  if (!status) return "Checking model…";
  const pct = status.progress ? ` ${percent(status.progress.done, status.progress.total)}%` : "";
  switch (status.state) {
    case "ready":
      return status.isDemo ? DEMO_LABEL : status.modelId;
    case "downloading":
      return `Downloading${pct}`;
    case "converting":
      return `Converting${pct}`;
    case "loading":
      return `Loading${pct}`;
    case "error":
      return "Model error";
    case "idle":
      return "Starting…";
  }
}

/** Null when a message can be sent; otherwise the sentence shown under the composer. */
export function composerBlockReason(status: ModelStatusDto | null, unreachable: string | null): string | null {
  if (unreachable) return `Cannot send: ${unreachable}`;
  if (!status) return "Checking whether the model is ready…";
  const pct = status.progress && status.progress.total > 0 ? ` (${percent(status.progress.done, status.progress.total)}%)` : "";
  switch (status.state) {
    case "ready":
      return null;
    case "downloading":
      return `The model is still downloading${pct}. Saved conversations can be read meanwhile.`;
    case "converting":
      return `The model is being converted${pct}. Saved conversations can be read meanwhile.`;
    case "loading":
      return `The model is loading${pct}. This takes a few seconds.`;
    case "idle":
      return "The model has not started loading yet.";
    case "error":
      return `The model is not available: ${status.error?.message ?? "unknown error"}`;
  }
}

/** `2/3 workers up` for the header, or null without BITNET_WORKERS. */
export function workersSummary(status: ModelStatusDto | null): string | null {
  const workers = status?.workers;
  if (!workers || workers.length === 0) return null;
  const up = workers.filter((w) => w.state === "up").length;
  return `${up}/${workers.length} worker${workers.length === 1 ? "" : "s"} up`;
}

/** One line per worker: `http://a:3000/v1 — up, 1 answering, 12 served` / `— down: connection refused`. */
export function workerLines(status: ModelStatusDto | null): string[] {
  return (status?.workers ?? []).map((w) => {
    if (w.state === "down") return `${w.url} — down${w.error ? `: ${w.error}` : ""}`;
    if (w.state === "checking") return `${w.url} — checking…`;
    return `${w.url} — up${w.model ? ` (${w.model})` : ""}, ${w.inFlight} answering, ${w.served} served`;
  });
}
