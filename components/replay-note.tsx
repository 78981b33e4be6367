"use client";
import { Equal, EqualNot } from "lucide-react";
import type { ReplayVerdict } from "@/lib/schemas/events";

/**
 * Under a replayed answer: did the same settings and seed give the same text? Replays are
 * deterministic only where the arithmetic is: a different model build or thread count may round a
 * logit differently and tip one sampled token, after which the texts part.
 */
/** "token 5 (character 23)", 1-based as a reader counts; by character alone when token records were missing. */
function where(verdict: ReplayVerdict): string {
  const character = verdict.divergedAtChar === null ? null : `character ${verdict.divergedAtChar + 1}`;
  if (verdict.divergedAtToken === null) return character ?? "the end";
  const token = `token ${verdict.divergedAtToken + 1}`;
  return character ? `${token} (${character})` : token;
}

export function ReplayNote({ verdict, seed, onShowOriginal }: { verdict: ReplayVerdict; seed: number | null; onShowOriginal?: (messageId: string) => void }) {
  const withSeed = seed === null ? "" : ` (seed ${seed})`;
  return (
    <p
      role="status"
      data-testid="replay-note"
      data-identical={verdict.identical}
      className={
        verdict.identical
          ? "mt-2 flex flex-wrap items-center gap-x-1.5 rounded-md border border-emerald-200 bg-emerald-50 px-2 py-1 text-xs text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200"
          : "mt-2 flex flex-wrap items-center gap-x-1.5 rounded-md border border-amber-200 bg-amber-50 px-2 py-1 text-xs text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
      }
    >
      {verdict.identical ? <Equal className="size-3.5" aria-hidden /> : <EqualNot className="size-3.5" aria-hidden />}
      <strong className="font-semibold">
        {verdict.identical ? "Replay identical" : `Replay diverged at ${where(verdict)}`}
      </strong>
      <span>
        : same settings and seed{withSeed}, {verdict.identical ? (verdict.compared === "tokens" ? "same tokens." : "same text.") : "different from there on."} Exact
        only on the same model build and thread count.
      </span>
      {onShowOriginal && (
        <button type="button" className="underline underline-offset-2 hover:no-underline" onClick={() => onShowOriginal(verdict.of)}>
          Show the original
        </button>
      )}
    </p>
  );
}
