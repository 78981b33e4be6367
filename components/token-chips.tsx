"use client";
import { useRef } from "react";
import type { TokenRecordDto } from "@/lib/schemas/tokens";
import { formatProbability, probabilityOf, shadeOf, visibleToken } from "@/lib/client/token-display";

interface TokenChipsProps {
  tokens: TokenRecordDto[];
  /** The chip whose alternatives are shown. */
  active: number;
  /** Hover: shows a chip's alternatives unless one is pinned. */
  onHover: (index: number) => void;
  /** Keyboard focus (and the start of a click): shows that chip's alternatives. */
  onFocusChip: (index: number) => void;
  /** A click pins the chip, so the pointer can travel to its alternatives over other chips. */
  onPin: (index: number) => void;
}

/**
 * The answer as token chips shaded by probability. One tab stop for the whole answer (roving tabindex):
 * ←/→ (and Home/End) move between chips, focusing a chip shows its alternatives.
 */
export function TokenChips({ tokens, active, onHover, onFocusChip, onPin }: TokenChipsProps) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (to: number) => {
    const index = Math.max(0, Math.min(tokens.length - 1, to));
    refs.current[index]?.focus();
  };
  return (
    <div role="group" aria-label="Tokens of the answer" className="flex flex-wrap gap-y-1 font-mono text-xs leading-6">
      {tokens.map((token, i) => {
        const p = probabilityOf(token.logprob);
        return (
          <button
            key={i}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            data-testid="token-chip"
            data-index={i}
            tabIndex={i === active ? 0 : -1}
            aria-pressed={i === active}
            aria-label={`Token ${i + 1}: ${visibleToken(token.text)}, ${formatProbability(p)}`}
            title={formatProbability(p)}
            className={`${shadeOf(p)} whitespace-pre rounded px-0.5 text-zinc-900 ring-indigo-600 hover:ring-1 focus-visible:outline-none focus-visible:ring-2 aria-pressed:ring-1 dark:text-zinc-100 dark:ring-indigo-300`}
            onMouseEnter={() => onHover(i)}
            onFocus={() => onFocusChip(i)}
            onClick={() => onPin(i)}
            onKeyDown={(e) => {
              const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tokens.length - 1 }[e.key];
              if (to === undefined) return;
              e.preventDefault();
              move(to);
            }}
          >
            {visibleToken(token.text)}
          </button>
        );
      })}
    </div>
  );
}
