"use client";
/** The inference workers (BITNET_WORKERS) and their state, in the model status popover. */
import type { WorkerStatusDto } from "@/lib/schemas/model-status";

const DOT = { up: "bg-emerald-500", down: "bg-red-500", checking: "bg-sky-500 animate-pulse" } as const;

export function WorkerList({ workers }: { workers: WorkerStatusDto[] }) {
  return (
    <ul aria-label="Inference workers" className="space-y-1 text-xs">
      {workers.map((w) => (
        <li key={w.url} className="flex min-w-0 items-start gap-2">
          <span aria-hidden className={`mt-1 size-2 shrink-0 rounded-full ${DOT[w.state]}`} />
          <span className="min-w-0 break-all">
            <span className="font-mono">{w.url}</span>{" "}
            <span className="text-zinc-600 dark:text-zinc-300">
              {w.state === "up"
                ? `up${w.model ? ` · ${w.model}` : ""} · ${w.inFlight} answering · ${w.served} served`
                : w.state === "down"
                  ? `down${w.error ? ` · ${w.error}` : ""}`
                  : "checking…"}
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}
