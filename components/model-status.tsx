"use client";
/** The header's compact model indicator: a coloured dot and a short state, details in its tooltip. */
import { DEMO_LABEL, statusSummary, workerLines, workersSummary } from "@/lib/client/model-readiness";
import { useApp } from "./app-context";
import { RealModelSwitch } from "./real-model-switch";
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
  // While the server is unreachable its last status is stale: say so instead of "DEMO".
  const demo = !unreachable && status?.state === "ready" && status.isDemo;
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
      {demo ? (
        <>
          <span className="sm:hidden">DEMO</span>
          <span className="truncate max-sm:hidden">{DEMO_LABEL}</span>
        </>
      ) : (
        // On a phone a ready model is just the green dot (the name is in the label); other states keep their words.
        <span className={`truncate max-sm:max-w-24 ${status?.state === "ready" && !unreachable ? "max-sm:sr-only" : ""}`}>{summary}</span>
      )}
      {workers && <span className="shrink-0 text-zinc-600 max-sm:hidden dark:text-zinc-400">· {workers}</span>}
    </div>
  );
  const realModel = demo ? status.realModel : null;
  if (!status?.workers?.length && !realModel) return pill;
  // The pill opens a menu: the workers (state, load, why one is down), the way back from the demo.
  return (
    <details className="relative min-w-0">
      <summary className="cursor-pointer list-none [&::-webkit-details-marker]:hidden">{pill}</summary>
      <div className="absolute right-0 z-20 mt-1 w-80 max-w-[90vw] space-y-3 rounded-xl border border-zinc-200 bg-white p-3 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
        {realModel && <RealModelSwitch realModel={realModel} />}
        {status?.workers?.length ? <WorkerList workers={status.workers} /> : null}
      </div>
    </details>
  );
}
