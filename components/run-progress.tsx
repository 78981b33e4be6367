"use client";
/** What a pending answer is waiting for — so a slow CPU never looks like a frozen page (with the prompt's time left). */
import { Loader2 } from "lucide-react";
import type { RunState } from "@/lib/client/chat-reducer";
import { prefillText } from "@/lib/client/prefill-eta";
import { ProgressBar } from "./progress-bar";

export function RunProgress({ run }: { run: RunState }) {
  let text: string;
  if (run.phase === "queued") text = `Waiting — position ${run.queuePosition ?? "?"} in queue`;
  else if (run.phase === "prefill" && run.prefill && run.prefill.total > 0) text = prefillText(run.prefill);
  else if (run.phase === "prefill") text = `Reading the prompt${run.promptTokens ? ` (${run.promptTokens} tokens)` : ""}…`;
  else text = "Connecting…";
  return (
    <div role="status" className="flex max-w-sm flex-col gap-2 py-1 text-sm text-zinc-500 dark:text-zinc-400">
      <span className="flex items-center gap-2">
        <Loader2 className="size-4 animate-spin" aria-hidden />
        {text}
      </span>
      {run.phase === "prefill" && run.prefill && run.prefill.total > 0 && (
        <ProgressBar done={run.prefill.done} total={run.prefill.total} label="Prompt processing" />
      )}
    </div>
  );
}
