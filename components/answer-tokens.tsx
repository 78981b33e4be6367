"use client";
import { Binary } from "lucide-react";
import { useState } from "react";
import { getMessageTokens } from "@/lib/client/api";
import type { MessageTokensDto } from "@/lib/schemas/tokens";
import { TokenAlternatives } from "./token-alternatives";
import { TokenChips } from "./token-chips";

interface AnswerTokensProps {
  conversationId: string;
  messageId: string;
  /** Absent while answers cannot be run: the alternatives are shown without Branch buttons. */
  onBranch?: (messageId: string, tokenIndex: number, tokenId: number) => void;
}

type Load = { state: "idle" } | { state: "loading" } | { state: "error"; message: string } | { state: "ready"; data: MessageTokensDto };

/** The "Tokens" toggle of an answer and, when on, its token view (records fetched on first open). */
export function AnswerTokens({ conversationId, messageId, onBranch }: AnswerTokensProps) {
  const [open, setOpen] = useState(false);
  const [load, setLoad] = useState<Load>({ state: "idle" });
  const [active, setActive] = useState(0);
  const [pinned, setPinned] = useState(false);

  const toggle = () => {
    const next = !open;
    setOpen(next);
    if (next && (load.state === "idle" || load.state === "error")) {
      setLoad({ state: "loading" });
      getMessageTokens(conversationId, messageId).then(
        (data) => setLoad({ state: "ready", data }),
        (error: unknown) => setLoad({ state: "error", message: error instanceof Error ? error.message : String(error) }),
      );
    }
  };
  const tokens = load.state === "ready" ? load.data.tokens : [];
  const current = tokens[Math.min(active, tokens.length - 1)];

  return (
    <>
      <button
        type="button"
        aria-pressed={open}
        title="Show the answer as tokens with their probabilities and alternatives"
        className="inline-flex items-center justify-center gap-1 rounded-md px-1.5 py-1 text-xs text-zinc-600 hover:bg-zinc-200 hover:text-zinc-900 aria-pressed:bg-zinc-200 aria-pressed:text-zinc-900 max-sm:min-h-10 dark:text-zinc-400 dark:hover:bg-zinc-700 dark:hover:text-zinc-100 dark:aria-pressed:bg-zinc-700 dark:aria-pressed:text-zinc-100"
        onClick={toggle}
      >
        <Binary className="size-3.5" aria-hidden />
        Tokens
      </button>
      {open && (
        <section aria-label="Token view" className="mt-2 basis-full">
          {load.state === "loading" && <p role="status" className="text-xs text-zinc-600 dark:text-zinc-400">Loading tokens…</p>}
          {load.state === "error" && <p role="alert" className="text-xs text-red-700 dark:text-red-300">{load.message}</p>}
          {load.state === "ready" && current && (
            <>
              <TokenChips
                tokens={tokens}
                active={active}
                onHover={(i) => {
                  if (!pinned) setActive(i);
                }}
                onFocusChip={(i) => {
                  setPinned(false);
                  setActive(i);
                }}
                onPin={(i) => {
                  setPinned(true);
                  setActive(i);
                }}
              />
              <TokenAlternatives token={current} index={active} onBranch={onBranch ? (index, tokenId) => onBranch(messageId, index, tokenId) : undefined} />
            </>
          )}
        </section>
      )}
    </>
  );
}
