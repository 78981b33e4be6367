"use client";
/** The `?` help: every keyboard shortcut, from the same table the key handler uses. */
import { X } from "lucide-react";
import { SHORTCUTS } from "@/lib/client/shortcuts";
import { useModalDialog } from "@/lib/client/use-modal-dialog";

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useModalDialog(open);

  return (
    <dialog
      ref={ref}
      aria-labelledby="shortcuts-title"
      onClose={onClose}
      onClick={(e) => {
        if (e.target === ref.current) onClose(); // a click on the backdrop
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <div className="p-5">
        <div className="flex items-center justify-between">
          <h2 id="shortcuts-title" className="text-base font-semibold">Keyboard shortcuts</h2>
          <button type="button" aria-label="Close" onClick={onClose} className="flex size-10 items-center justify-center rounded-lg hover:bg-zinc-100 dark:hover:bg-zinc-800">
            <X className="size-4" aria-hidden />
          </button>
        </div>
        <dl className="mt-3 space-y-2 text-sm">
          {SHORTCUTS.map(({ keys, description }) => (
            <div key={description} className="flex items-center justify-between gap-4">
              <dt className="text-zinc-700 dark:text-zinc-300">{description}</dt>
              <dd className="flex shrink-0 gap-1">
                {keys.map((k) => (
                  <kbd key={k} className="rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-600 dark:bg-zinc-800">
                    {k}
                  </kbd>
                ))}
              </dd>
            </div>
          ))}
        </dl>
        <p className="mt-4 text-xs text-zinc-600 dark:text-zinc-400">On a Mac, use ⌘ instead of Ctrl. In the sidebar, ← → reach a conversation’s Rename, Pin and Delete, ↑ ↓ move between conversations.</p>
      </div>
    </dialog>
  );
}
