"use client";
import { FastForward, Pencil, RefreshCw, Repeat } from "lucide-react";
import { CopyButton } from "./copy-button";

const actionClass =
  "inline-flex items-center justify-center gap-1 rounded-md px-1.5 py-1 text-xs text-zinc-600 hover:bg-zinc-200 hover:text-zinc-900 disabled:opacity-40 max-sm:min-h-10 max-sm:min-w-10 dark:text-zinc-400 dark:hover:bg-zinc-700 dark:hover:text-zinc-100";

interface MessageActionsProps {
  text: string;
  onRegenerate?: () => void;
  onEdit?: () => void;
  /** Extends a cut answer (stopped, or at max tokens). */
  onContinue?: () => void;
  /** Runs the answer again with its stored settings and seed. */
  onReplay?: () => void;
  disabled?: boolean;
}

export function MessageActions({ text, onRegenerate, onEdit, onContinue, onReplay, disabled }: MessageActionsProps) {
  return (
    <div className="flex items-center gap-0.5">
      <CopyButton getText={() => text} />
      {onEdit && (
        <button type="button" aria-label="Edit" title="Edit and resend" className={actionClass} onClick={onEdit} disabled={disabled}>
          <Pencil className="size-3.5" aria-hidden />
        </button>
      )}
      {onRegenerate && (
        <button type="button" aria-label="Regenerate" title="Regenerate this answer" className={actionClass} onClick={onRegenerate} disabled={disabled}>
          <RefreshCw className="size-3.5" aria-hidden />
        </button>
      )}
      {onReplay && (
        <button type="button" aria-label="Replay" title="Replay: run again with the same settings and seed, and check the text is identical" className={actionClass} onClick={onReplay} disabled={disabled}>
          <Repeat className="size-3.5" aria-hidden />
        </button>
      )}
      {onContinue && (
        <button type="button" title="Continue this answer where it stopped" className={actionClass} onClick={onContinue} disabled={disabled}>
          <FastForward className="size-3.5" aria-hidden />
          Continue
        </button>
      )}
    </div>
  );
}
