"use client";
/**
 * The efficiency page: what a 1-bit model saves on this machine, from measurements — weight bytes per
 * token vs the same model at 16 bits, this machine's memory bandwidth and the decode-speed ceiling it
 * implies, and the decode speed of recent answers against their context length.
 */
import Link from "next/link";
import { useEffect, useState } from "react";
import { getEfficiency } from "@/lib/client/api";
import { formatBytes, formatRate } from "@/lib/format";
import type { EfficiencyDto } from "@/lib/schemas/efficiency";
import { ScatterChart } from "./scatter-chart";

function Stat({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="rounded-xl border border-zinc-200 p-3 dark:border-zinc-800">
      <dt className="text-xs text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 text-lg font-semibold tabular-nums">{value}</dd>
      {note && <dd className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">{note}</dd>}
    </div>
  );
}

export function EfficiencyView() {
  const [report, setReport] = useState<EfficiencyDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    getEfficiency(500, controller.signal).then(setReport, (e: unknown) => {
      if ((e as Error)?.name !== "AbortError") setError(e instanceof Error ? e.message : String(e));
    });
    return () => controller.abort();
  }, []);

  if (error) return <p role="alert" className="text-sm text-red-700 dark:text-red-300">{error}</p>;
  if (!report) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Measuring memory bandwidth…</p>;

  const { weights, memoryBandwidth } = report;
  const ceiling = weights && memoryBandwidth ? memoryBandwidth.bytesPerSecond / 2 / weights.bytesPerToken : null;
  const points = report.answers.map((a) => ({
    x: a.contextTokens,
    y: Math.round(a.decodeTokPerS * 10) / 10,
    label: `${a.contextTokens} tokens of context: ${formatRate(a.decodeTokPerS)} (${a.completionTokens} generated)`,
  }));
  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Model" value={report.isDemo ? "demo (random weights)" : report.modelId} />
        <Stat
          label="Weights read per token"
          value={weights ? formatBytes(weights.bytesPerToken) : "–"}
          note={weights ? `${formatBytes(weights.fp16BytesPerToken)} at 16 bits (${(weights.fp16BytesPerToken / weights.bytesPerToken).toFixed(1)}× more)` : "no local model loaded"}
        />
        <Stat
          label="Memory bandwidth (copy)"
          value={memoryBandwidth ? `${formatBytes(memoryBandwidth.bytesPerSecond)}/s` : "–"}
          note={memoryBandwidth ? `${memoryBandwidth.threads} threads, read + write` : "not measured"}
        />
        <Stat
          label="Decode ceiling (read bandwidth ÷ bytes per token)"
          value={ceiling ? formatRate(ceiling) : "–"}
          note={ceiling && weights ? `${formatRate((ceiling * weights.bytesPerToken) / weights.fp16BytesPerToken)} at 16-bit weights` : undefined}
        />
      </dl>
      <section aria-labelledby="chart-heading" className="space-y-2">
        <h2 id="chart-heading" className="text-base font-semibold">
          Decode speed of recent answers by context length
        </h2>
        {points.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            No answers yet. <Link href="/" className="underline">Start a chat</Link> and come back.
          </p>
        ) : (
          <ScatterChart
            title="Decode tokens per second against context length"
            xLabel="context length (tokens)"
            yLabel="decode tok/s"
            points={points}
            ceiling={ceiling ? { y: Math.round(ceiling * 10) / 10, label: `bandwidth ceiling ${formatRate(ceiling)}` } : null}
          />
        )}
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Decoding reads every weight once per token, so on a CPU it is bound by memory bandwidth: the dashed line is the
          speed at which this machine could stream the model&apos;s weights (half the copy bandwidth, which counts bytes
          read and written). Longer contexts add attention work on top. Answers from inference workers are plotted too.
        </p>
      </section>
    </div>
  );
}
