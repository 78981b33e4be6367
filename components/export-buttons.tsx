"use client";
import { FileDown, FileJson } from "lucide-react";
import { exportUrl } from "@/lib/client/api";

const buttonClass =
  "inline-flex items-center gap-1 rounded-lg px-2 py-1.5 text-xs font-medium text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800";

/** Downloads go through an anchor so the browser uses the server's Content-Disposition file name. */
function download(url: string) {
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = "";
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
}

export function ExportButtons({ conversationId }: { conversationId: string }) {
  return (
    <div className="flex items-center">
      <button type="button" aria-label="Export Markdown" title="Export as Markdown" className={buttonClass} onClick={() => download(exportUrl(conversationId, "md"))}>
        <FileDown className="size-4" aria-hidden />
        <span className="hidden lg:inline">Markdown</span>
      </button>
      <button type="button" aria-label="Export JSON" title="Export as JSON (can be imported)" className={buttonClass} onClick={() => download(exportUrl(conversationId, "json"))}>
        <FileJson className="size-4" aria-hidden />
        <span className="hidden lg:inline">JSON</span>
      </button>
    </div>
  );
}
