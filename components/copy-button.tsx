"use client";
import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { copyText } from "@/lib/client/copy-text";

/** Copies `getText()` to the clipboard and confirms for a moment. */
export function CopyButton({ getText, label = "Copy", className = "" }: { getText: () => string; label?: string; className?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    setState((await copyText(getText())) ? "copied" : "failed");
    setTimeout(() => setState("idle"), 1500);
  }
  return (
    <button
      type="button"
      aria-label={label}
      title={state === "failed" ? "Copy failed — select the text instead" : label}
      onClick={() => void copy()}
      className={`inline-flex items-center justify-center gap-1 rounded-md px-1.5 py-1 text-xs text-zinc-600 hover:bg-zinc-200 hover:text-zinc-900 max-sm:min-h-10 max-sm:min-w-10 dark:text-zinc-400 dark:hover:bg-zinc-700 dark:hover:text-zinc-100 ${className}`}
    >
      {state === "copied" ? <Check className="size-3.5 text-emerald-600" aria-hidden /> : <Copy className="size-3.5" aria-hidden />}
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : ""}</span>
    </button>
  );
}
