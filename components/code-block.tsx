"use client";
import { useEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import { CopyButton } from "./copy-button";

/** A fenced code block with its language and a copy button; the text is read from the DOM at click time. */
export function CodeBlock({ children }: { children: ReactNode }) {
  const pre = useRef<HTMLPreElement>(null);
  const language = languageOf(children);
  const scrollable = useOverflowsX(pre);
  return (
    <div className="not-prose my-3 overflow-hidden rounded-lg border border-zinc-200 bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900">
      <div className="flex items-center justify-between border-b border-zinc-200 px-3 py-1 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        <span>{language ?? "code"}</span>
        <CopyButton label="Copy code" getText={() => pre.current?.textContent ?? ""} />
      </div>
      {/* A block that scrolls sideways takes focus so arrow keys can scroll it (WCAG 2.1.1). */}
      <pre
        ref={pre}
        tabIndex={scrollable ? 0 : undefined}
        aria-label={scrollable ? `${language ?? "Code"} (scrollable)` : undefined}
        className="overflow-x-auto p-3 text-[0.8125rem] leading-relaxed"
      >
        {children}
      </pre>
    </div>
  );
}

function useOverflowsX(ref: RefObject<HTMLElement | null>): boolean {
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => setOverflows(el.scrollWidth > el.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    // Streaming appends text without resizing the box, so watch the content too.
    const mutations = new MutationObserver(check);
    mutations.observe(el, { childList: true, subtree: true, characterData: true });
    return () => {
      observer.disconnect();
      mutations.disconnect();
    };
  }, [ref]);
  return overflows;
}

function languageOf(children: ReactNode): string | null {
  const child = Array.isArray(children) ? children[0] : children;
  const className = (child as { props?: { className?: string } } | null)?.props?.className ?? "";
  return /language-([\w+-]+)/.exec(className)?.[1] ?? null;
}
