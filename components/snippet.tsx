import { parseSnippet } from "@/lib/client/snippet";

/** A search hit's context; matches are <mark>ed, everything is text (never parsed as HTML). */
export function Snippet({ text }: { text: string }) {
  return (
    <span className="mt-0.5 line-clamp-2 text-xs text-zinc-500 dark:text-zinc-400">
      {parseSnippet(text).map((part, i) =>
        part.match ? (
          <mark key={i} className="rounded-sm bg-amber-200 px-0.5 text-zinc-900 dark:bg-amber-500/40 dark:text-amber-50">
            {part.text}
          </mark>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </span>
  );
}
