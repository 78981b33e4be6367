"use client";
/**
 * Model output is untrusted. Raw HTML is turned into literal text before rendering (never parsed as
 * HTML: no rehype-raw), so `<script>` or `<img onerror=…>` in an answer stays visible, inert text;
 * rehype-sanitize additionally strips anything dangerous a Markdown construct could produce (e.g.
 * `javascript:` links). Highlighting runs after sanitizing so its `hljs-*` classes survive.
 */
import { memo, useDeferredValue } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import remarkHtmlAsText from "@/lib/client/remark-html-as-text";
import { CodeBlock } from "./code-block";

// Keep `language-*` on code so rehype-highlight knows the fence's language; nothing else is widened.
const schema = {
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    code: [...(defaultSchema.attributes?.code ?? []), ["className", /^language-./]],
  },
};

const components: Components = {
  pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
};

function MarkdownViewImpl({ text }: { text: string }) {
  // While tokens stream in, re-parsing on every token may lag behind; React renders the latest text when idle.
  const deferred = useDeferredValue(text);
  return (
    <div className="prose prose-zinc max-w-none break-words dark:prose-invert prose-pre:my-0 prose-pre:bg-transparent prose-pre:p-0 prose-code:before:content-none prose-code:after:content-none">
      <ReactMarkdown
        remarkPlugins={[remarkGfm, remarkHtmlAsText]}
        rehypePlugins={[[rehypeSanitize, schema], [rehypeHighlight, { detect: false, ignoreMissing: true }]]}
        components={components}
      >
        {deferred}
      </ReactMarkdown>
    </div>
  );
}

export const MarkdownView = memo(MarkdownViewImpl);
