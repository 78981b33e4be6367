"use client";
/**
 * A compare pair on the chat page: the question, then the two answers in two columns (stacked on a
 * phone), each with its caption (what differs), live numbers and a "Keep this one" button once both
 * have ended. Says plainly when this machine ran them one after the other.
 */
import { Loader2 } from "lucide-react";
import { useState } from "react";
import type { UiMessage } from "@/lib/client/chat-reducer";
import { canKeep, isRunning, type CompareColumn, type CompareState } from "@/lib/client/compare-reducer";
import { describeVariant } from "@/lib/client/compare-variants";
import { Caption } from "./caption";
import { MarkdownView } from "./markdown-view";
import { StatusBadge } from "./status-badge";

function waitingText(column: CompareColumn): string {
  if (column.phase === "queued") return `Waiting for the other answer — position ${column.queuePosition ?? "?"} in line`;
  if (column.phase === "prefill") return "Reading the prompt…";
  return "Connecting…";
}

/** The column as a message, for the caption and status badge every answer shows. */
function asMessage(column: CompareColumn): UiMessage {
  return {
    id: column.messageId ?? "pending",
    role: "assistant",
    content: column.text,
    status: column.phase !== null ? "streaming" : (column.status ?? "error"),
    stats: column.stats,
    params: column.params,
    error: column.error,
    createdAt: "",
  };
}

interface CompareViewProps {
  state: CompareState;
  question: string;
  onKeep: (index: number) => Promise<string | null>;
}

export function CompareView({ state, question, onKeep }: CompareViewProps) {
  const [keepError, setKeepError] = useState<string | null>(null);
  const running = isRunning(state);
  return (
    <section aria-label="Compare" className="flex flex-col gap-3">
      {question && (
        <div className="flex justify-end">
          <div className="max-w-[85%] whitespace-pre-wrap break-words rounded-2xl rounded-br-md bg-indigo-600 px-4 py-2.5 text-[0.9375rem] text-white shadow-sm">{question}</div>
        </div>
      )}
      {state.oneAfterTheOther && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          The two answers run one after the other on this machine (it decodes one answer at a time), so B starts when A is done.
        </p>
      )}
      <div className="grid gap-3 md:grid-cols-2">
        {state.columns.map((column, i) => {
          const name = i === 0 ? "A" : "B";
          const message = asMessage(column);
          const streaming = column.phase !== null;
          return (
            <article
              key={name}
              aria-label={`Answer ${name}`}
              aria-busy={streaming}
              data-testid="compare-column"
              data-status={streaming ? "streaming" : (column.status ?? "not-run")}
              className="flex min-w-0 flex-col gap-2 rounded-xl border border-zinc-200 bg-white p-3 dark:border-zinc-700 dark:bg-zinc-900"
            >
              <h3 className="text-xs font-semibold text-zinc-800 dark:text-zinc-200">
                Answer {name}
                <span className="font-normal text-zinc-600 dark:text-zinc-400"> — {describeVariant(column.params, state.columns[1 - i]!.params)}</span>
              </h3>
              {streaming && column.text.length === 0 ? (
                <p role="status" className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
                  <Loader2 className="size-4 animate-spin" aria-hidden />
                  {waitingText(column)}
                </p>
              ) : (
                <div className={`min-w-0 ${streaming ? "streaming-caret" : ""}`} data-testid="compare-text">
                  <MarkdownView text={column.text} />
                </div>
              )}
              {!streaming && column.error && (
                <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-2 py-1 text-xs text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200">
                  {column.error}
                </p>
              )}
              <div className="mt-auto flex flex-wrap items-center gap-x-3 gap-y-1">
                {column.status && <StatusBadge status={column.status} />}
                <Caption message={message} live={streaming ? column.timing : null} />
                {!running && (
                  <button
                    type="button"
                    disabled={!canKeep(state, i)}
                    onClick={() => void onKeep(i).then(setKeepError)}
                    className="ml-auto min-h-10 rounded-lg border border-indigo-600 px-3 text-sm font-medium text-indigo-700 hover:bg-indigo-50 disabled:cursor-not-allowed disabled:opacity-40 dark:border-indigo-400 dark:text-indigo-300 dark:hover:bg-indigo-950"
                  >
                    Keep this one
                  </button>
                )}
              </div>
            </article>
          );
        })}
      </div>
      {keepError && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          Could not keep that answer: {keepError}
        </p>
      )}
      {!running && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">Both answers are stored as versions of the question; the one you keep is where the chat continues.</p>
      )}
    </section>
  );
}
