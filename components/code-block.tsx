"use client";
import { useRef, type ReactNode } from "react";
import { CopyButton } from "./copy-button";

/** A fenced code block with its language and a copy button; the text is read from the DOM at click time. */
export function CodeBlock({ children }: { children: ReactNode }) {
  const pre = useRef<HTMLPreElement>(null);
  const language = languageOf(children);
  return (
    <div className="not-prose my-3 overflow-hidden rounded-lg border border-zinc-200 bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900">
      <div className="flex items-center justify-between border-b border-zinc-200 px-3 py-1 text-xs text-zinc-500 dark:border-zinc-700">
        <span>{language ?? "code"}</span>
        <CopyButton label="Copy code" getText={() => pre.current?.textContent ?? ""} />
      </div>
      <pre ref={pre} className="overflow-x-auto p-3 text-[0.8125rem] leading-relaxed">
        {children}
      </pre>
    </div>
  );
}

function languageOf(children: ReactNode): string | null {
  const child = Array.isArray(children) ? children[0] : children;
  const className = (child as { props?: { className?: string } } | null)?.props?.className ?? "";
  return /language-([\w+-]+)/.exec(className)?.[1] ?? null;
}
