"use client";
/** The header's compact model indicator: a coloured dot and a short state, details in its tooltip. */
import { DEMO_LABEL, statusSummary } from "@/lib/client/model-readiness";
import { useApp } from "./app-context";

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
  return (
    <div
      role="status"
      aria-label={`Model status: ${summary}`}
      data-state={unreachable ? "unreachable" : (status?.state ?? "unknown")}
      title={status?.state === "ready" ? `${status.modelId}${status.contextLength ? ` · context ${status.contextLength} tokens` : ""}` : summary}
      className={`flex min-w-0 items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs ${
        demo
          ? "border-amber-300 bg-amber-50 font-semibold text-amber-900 dark:border-amber-600/50 dark:bg-amber-500/10 dark:text-amber-200"
          : "border-zinc-200 text-zinc-600 dark:border-zinc-700 dark:text-zinc-300"
      }`}
    >
      <span aria-hidden className={`size-2 shrink-0 rounded-full ${tone}`} />
      <span className="truncate">{demo ? DEMO_LABEL : summary}</span>
    </div>
  );
}
