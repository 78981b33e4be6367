"use client";
/** The header's compact model indicator: a coloured dot and a short state, details in its tooltip. */
import { DEMO_LABEL, statusSummary, workerLines, workersSummary } from "@/lib/client/model-readiness";
import { useApp } from "./app-context";
import { WorkerList } from "./worker-list";

export function ModelStatus() {
  const { model } = useApp();
  const { status, unreachable } = model;
  const summary = statusSummary(status, unreachable);
  const tone =
    unreachable || status?.state === "error"
      ? "bg-red-500"
      : status?.state === "ready"
        ? status.isDemo
          ? "bg-amber-500"
          : "bg-emerald-500"
        : "bg-sky-500 animate-pulse";
  const demo = status?.state === "ready" && status.isDemo;
  const workers = workersSummary(status);
  const pill = (
    <div
      role="status"
      aria-label={`Model status: ${summary}${workers ? `, ${workers}` : ""}`}
      data-state={unreachable ? "unreachable" : (status?.state ?? "unknown")}
      title={[
        status?.state === "ready" ? `${status.modelId}${status.contextLength ? ` · context ${status.contextLength} tokens` : ""}` : summary,
        ...workerLines(status),
      ].join("\n")}
      className={`flex min-w-0 items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs ${
        demo
          ? "border-amber-300 bg-amber-50 font-semibold text-amber-900 dark:border-amber-600/50 dark:bg-amber-500/10 dark:text-amber-200"
          : "border-zinc-200 text-zinc-600 dark:border-zinc-700 dark:text-zinc-300"
      }`}
    >
      <span aria-hidden className={`size-2 shrink-0 rounded-full ${tone}`} />
      <span className="truncate">{demo ? DEMO_LABEL : summary}</span>
      {workers && <span className="shrink-0 text-zinc-500 dark:text-zinc-400">· {workers}</span>}
    </div>
  );
  if (!status?.workers?.length) return pill;
  // With workers, the pill opens a list of them (state, load, why one is down).
  return (
    <details className="relative min-w-0">
      <summary className="cursor-pointer list-none [&::-webkit-details-marker]:hidden">{pill}</summary>
      <div className="absolute right-0 z-20 mt-1 w-80 max-w-[90vw] rounded-xl border border-zinc-200 bg-white p-3 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
        <WorkerList workers={status.workers} />
      </div>
    </details>
  );
}
