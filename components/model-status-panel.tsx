"use client";
/** Shown above the composer while the model is not ready: progress, or the error and what to do. */
import { AlertTriangle, Loader2 } from "lucide-react";
import { useState } from "react";
import { postModelAction } from "@/lib/client/api";
import { progressDetail, progressTitle } from "@/lib/client/model-readiness";
import { percent } from "@/lib/format";
import { useApp } from "./app-context";
import { ProgressBar } from "./progress-bar";

export function ModelStatusPanel() {
  const { model } = useApp();
  const { status, unreachable, refresh, show } = model;
  const [busy, setBusy] = useState<null | "use-demo" | "retry">(null);
  const [actionError, setActionError] = useState<string | null>(null);

  async function act(action: "use-demo" | "retry") {
    setBusy(action);
    setActionError(null);
    try {
      show(await postModelAction(action));
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
      refresh();
    }
  }

  if (unreachable) {
    return (
      <section aria-label="Model status details" className="rounded-xl border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
        {unreachable}
      </section>
    );
  }
  if (!status || status.state === "ready") return null;

  if (status.state === "error") {
    return (
      <section aria-label="Model status details" className="rounded-xl border border-red-200 bg-red-50 p-4 text-sm dark:border-red-900 dark:bg-red-950/40">
        <div className="flex items-start gap-2 text-red-800 dark:text-red-200">
          <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
          <div className="min-w-0 space-y-1">
            <p className="font-semibold">The model could not be loaded</p>
            <p role="alert" className="break-words">{status.error?.message ?? "Unknown error"}</p>
            {status.error?.hint && <p className="break-words text-red-700/80 dark:text-red-300/80">{status.error.hint}</p>}
          </div>
        </div>
        <div className="mt-3 flex flex-wrap gap-2">
          <button
            type="button"
            disabled={busy !== null}
            onClick={() => void act("use-demo")}
            className="rounded-lg bg-zinc-900 px-3 py-1.5 text-xs font-medium text-white hover:bg-zinc-700 disabled:opacity-60 dark:bg-zinc-100 dark:text-zinc-900"
          >
            {busy === "use-demo" ? "Preparing demo…" : "Use offline demo model"}
          </button>
          <button
            type="button"
            disabled={busy !== null}
            onClick={() => void act("retry")}
            className="rounded-lg border border-red-300 px-3 py-1.5 text-xs font-medium text-red-800 hover:bg-red-100 disabled:opacity-60 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-900/40"
          >
            {busy === "retry" ? "Retrying…" : "Retry"}
          </button>
        </div>
        <p className="mt-2 text-xs text-red-700/70 dark:text-red-300/70">
          The demo model works without a network but has random weights: its answers are nonsense.
        </p>
        {actionError && <p className="mt-2 text-xs text-red-700 dark:text-red-300">{actionError}</p>}
      </section>
    );
  }

  const progress = status.progress;
  return (
    <section aria-label="Model status details" className="rounded-xl border border-sky-200 bg-sky-50 p-3 text-sm dark:border-sky-900 dark:bg-sky-950/30">
      <div className="mb-2 flex items-center gap-2 font-medium text-sky-900 dark:text-sky-200">
        <Loader2 className="size-4 animate-spin" aria-hidden />
        {progress ? progressTitle(progress) : "Preparing the model…"}
        {progress && progress.total > 0 && <span className="ml-auto tabular-nums">{percent(progress.done, progress.total)}%</span>}
      </div>
      {progress && (
        <>
          <ProgressBar done={progress.done} total={progress.total} label={progressTitle(progress)} valueText={progressDetail(progress)} />
          <p className="mt-1.5 flex flex-wrap justify-between gap-x-3 text-xs text-sky-800/80 tabular-nums dark:text-sky-300/80">
            <span>{progressDetail(progress)}</span>
            {progress.detail && <span className="truncate">{progress.detail}</span>}
          </p>
        </>
      )}
    </section>
  );
}
