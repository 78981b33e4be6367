"use client";
import { FileDown, FileUp, FolderInput } from "lucide-react";
import { useRef } from "react";
import { EXPORT_ALL_URL } from "@/lib/client/api";
import { download } from "@/lib/client/download";
import { useApp } from "./app-context";
import { MenuButton } from "./menu-button";

/** The sidebar's import/export menu: import exported files (one conversation or all), export everything. */
export function ImportButton() {
  const input = useRef<HTMLInputElement>(null);
  const { importer } = useApp();
  return (
    <>
      <MenuButton
        label="Import and export"
        icon={<FolderInput className="size-4" aria-hidden />}
        align="right"
        buttonClassName="flex size-10 items-center justify-center rounded-lg border border-zinc-300 text-zinc-600 hover:bg-zinc-200 disabled:opacity-50 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
        items={[
          { label: "Import from a file…", icon: <FileUp className="size-4" aria-hidden />, onSelect: () => input.current?.click() },
          { label: "Export all conversations", icon: <FileDown className="size-4" aria-hidden />, onSelect: () => download(EXPORT_ALL_URL) },
        ]}
      />
      <input
        ref={input}
        type="file"
        multiple
        accept="application/json,.json"
        aria-label="Import conversation file"
        className="hidden"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = "";
          void importer.run(files);
        }}
      />
    </>
  );
}

/** Import outcome, in the sidebar's flow under the search box (never on top of it). */
export function ImportMessages() {
  const { importer } = useApp();
  if (importer.errors.length === 0 && !importer.notice && !importer.busy) return null;
  return (
    <div className="mx-3 mb-2 space-y-1">
      {importer.busy && <p role="status" className="text-xs text-zinc-600 dark:text-zinc-400">Importing…</p>}
      {importer.notice && <p role="status" className="text-xs text-emerald-800 dark:text-emerald-300">{importer.notice}</p>}
      {importer.errors.length > 0 && (
        <div role="alert" className="rounded-md bg-red-50 p-2 text-xs text-red-800 dark:bg-red-950 dark:text-red-200">
          <ul className="space-y-1">
            {importer.errors.map((error) => (
              <li key={error}>{error}</li>
            ))}
          </ul>
          <button type="button" className="mt-1 min-h-8 underline" onClick={importer.dismiss}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
