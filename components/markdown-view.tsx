"use client";
/**
 * Model output is untrusted. Raw HTML is turned into literal text before rendering (never parsed as
 * HTML: no rehype-raw), so `<script>` or `<img onerror=…>` in an answer stays visible, inert text.
 * Math (`$…$`, `$$…$$`, and `\( … \)`, `\[ … \]` rewritten to those first) is typeset by KaTeX (trust off: no \href, \includegraphics, \html…), and
 * rehype-sanitize then checks KaTeX's output too, with a schema widened only for what KaTeX produces.
 * Highlighting runs after sanitizing so its `hljs-*` classes survive.
 */
import "katex/dist/katex.min.css";
import { memo, useDeferredValue, useId, useMemo } from "react";
import ReactMarkdown, { type Components, type Options } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import rehypeKatex from "rehype-katex";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";
import { normalizeLatexDelimiters } from "@/lib/client/latex-delimiters";
import { markdownSanitizeSchema } from "@/lib/client/markdown-sanitize-schema";
import rehypeTaskLabels from "@/lib/client/rehype-task-labels";
import remarkHtmlAsText from "@/lib/client/remark-html-as-text";
import remarkStrictInlineMath from "@/lib/client/remark-strict-inline-math";
import { CodeBlock } from "./code-block";

/**
 * The unified pipeline, exported for tests. `idPrefix` keeps footnote ids unique per message (two
 * answers with a [^1] each must not jump to each other's notes): the sanitizer prefixes every id with
 * it, and in-page links are rewritten to match by the `a` component.
 */
export function markdownOptions(idPrefix: string): Pick<Options, "remarkPlugins" | "rehypePlugins" | "remarkRehypeOptions"> {
  return {
    remarkPlugins: [remarkGfm, remarkMath, remarkStrictInlineMath, remarkHtmlAsText],
    remarkRehypeOptions: { clobberPrefix: "" },
    rehypePlugins: [
      [rehypeKatex, { trust: false, strict: "ignore", maxSize: 20, maxExpand: 200 }],
      [rehypeSanitize, { ...markdownSanitizeSchema, clobberPrefix: idPrefix }],
      rehypeTaskLabels,
      [rehypeHighlight, { detect: false, ignoreMissing: true }],
    ],
  };
}

function components(idPrefix: string): Components {
  return {
    pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
    a: ({ href, children, ...rest }) => {
      if (href?.startsWith("#")) {
        // Footnote references and back-references: scroll within the page, no new tab, no URL change.
        const target = `${idPrefix}${href.slice(1)}`;
        return (
          <a
            href={`#${target}`}
            id={typeof rest.id === "string" ? rest.id : undefined}
            aria-describedby={rest["aria-describedby"]}
            aria-label={rest["aria-label"]}
            onClick={(e) => {
              const el = document.getElementById(target);
              if (!el) return;
              e.preventDefault();
              el.scrollIntoView({ block: "center", behavior: "smooth" });
            }}
          >
            {children}
          </a>
        );
      }
      return (
        <a href={href} target="_blank" rel="noopener noreferrer nofollow">
          {children}
        </a>
      );
    },
  };
}

function MarkdownViewImpl({ text }: { text: string }) {
  // While tokens stream in, re-parsing on every token may lag behind; React renders the latest text when idle.
  const deferred = useDeferredValue(text);
  const idPrefix = `m${useId().replace(/[^\w]/g, "")}-`;
  const options = useMemo(() => markdownOptions(idPrefix), [idPrefix]);
  const parts = useMemo(() => components(idPrefix), [idPrefix]);
  const source = useMemo(() => normalizeLatexDelimiters(deferred), [deferred]);
  return (
    <div className="answer-prose prose prose-zinc max-w-none break-words dark:prose-invert prose-headings:font-semibold prose-h1:text-xl prose-h2:text-lg prose-h3:text-base prose-h4:text-base prose-pre:my-0 prose-pre:bg-transparent prose-pre:p-0 prose-code:before:content-none prose-code:after:content-none">
      <ReactMarkdown {...options} components={parts}>
        {source}
      </ReactMarkdown>
    </div>
  );
}

export const MarkdownView = memo(MarkdownViewImpl);
