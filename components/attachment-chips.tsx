"use client";
/** Attached files as chips: name and token count (a spinner while the server reads one); removable in the composer. */
import { FileText, Loader2, X } from "lucide-react";
import type { AttachmentDto } from "@/lib/schemas/attachments";

export interface Chip {
  key: string;
  name: string;
  /** Null while the file is being read. */
  file: Pick<AttachmentDto, "tokens" | "mediaType"> | null;
}

export function AttachmentChips({ chips, onRemove, align = "start" }: { chips: readonly Chip[]; onRemove?: (key: string) => void; align?: "start" | "end" }) {
  if (chips.length === 0) return null;
  return (
    <ul aria-label="Attached files" className={`flex flex-wrap gap-1.5 ${align === "end" ? "justify-end" : ""}`}>
      {chips.map((chip) => (
        <li
          key={chip.key}
          aria-label={chip.file ? `${chip.name}, ${chip.file.tokens} tokens` : `${chip.name}, reading`}
          className="flex max-w-64 items-center gap-1.5 rounded-lg border border-zinc-300 bg-zinc-50 py-1 pl-2 pr-1 text-xs text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-200"
        >
          {chip.file ? <FileText className="size-3.5 shrink-0" aria-hidden /> : <Loader2 className="size-3.5 shrink-0 animate-spin" aria-hidden />}
          <span className="truncate" title={chip.name}>{chip.name}</span>
          <span className="shrink-0 tabular-nums text-zinc-500 dark:text-zinc-400">{chip.file ? `${chip.file.tokens.toLocaleString("en-US")} tokens` : "reading…"}</span>
          {onRemove ? (
            <button
              type="button"
              aria-label={`Remove ${chip.name}`}
              onClick={() => onRemove(chip.key)}
              className="flex size-5 shrink-0 items-center justify-center rounded hover:bg-zinc-200 dark:hover:bg-zinc-700"
            >
              <X className="size-3" aria-hidden />
            </button>
          ) : (
            <span className="pr-1" />
          )}
        </li>
      ))}
    </ul>
  );
}
