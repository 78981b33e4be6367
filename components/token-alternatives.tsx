"use client";
import { GitBranch } from "lucide-react";
import type { TokenRecordDto } from "@/lib/schemas/tokens";
import { formatProbability, probabilityOf, visibleToken } from "@/lib/client/token-display";

interface TokenAlternativesProps {
  token: TokenRecordDto;
  index: number;
  /** Absent while answers cannot be run (model not ready, an answer running). */
  onBranch?: (tokenIndex: number, tokenId: number) => void;
}

/** The alternatives at one position, most probable first; any other than the chosen one starts a new version from there. */
export function TokenAlternatives({ token, index, onBranch }: TokenAlternativesProps) {
  return (
    <div aria-label={`Alternatives for token ${index + 1}`} role="group" className="mt-2 rounded-lg border border-zinc-200 p-2 text-xs dark:border-zinc-700">
      <p className="mb-1 text-zinc-600 dark:text-zinc-400">
        Token {index + 1}: <span className="font-mono text-zinc-900 dark:text-zinc-100">{visibleToken(token.text)}</span> · sampled with {formatProbability(probabilityOf(token.logprob))}{" "}
        (model {formatProbability(probabilityOf(token.rawLogprob))})
      </p>
      <ul className="flex flex-col gap-0.5" data-testid="token-alternatives">
        {token.top.map((alt) => {
          const chosen = alt.id === token.id;
          const label = `${visibleToken(alt.text)} ${formatProbability(probabilityOf(alt.logprob))}`;
          return (
            <li key={alt.id} className="flex items-center gap-2">
              <span className="w-32 truncate font-mono text-zinc-900 dark:text-zinc-100">{visibleToken(alt.text)}</span>
              <span className="w-16 tabular-nums text-zinc-700 dark:text-zinc-300">{formatProbability(probabilityOf(alt.logprob))}</span>
              <span className="w-24 tabular-nums text-zinc-600 dark:text-zinc-400">model {formatProbability(probabilityOf(alt.rawLogprob))}</span>
              {chosen ? (
                <span className="text-zinc-600 dark:text-zinc-400">chosen</span>
              ) : (
                onBranch && (
                  <button
                    type="button"
                    aria-label={`Branch with ${label}`}
                    title="A new version of this answer: the same text up to here, this token, then the model goes on"
                    className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-indigo-700 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-300 dark:hover:bg-indigo-950"
                    onClick={() => onBranch(index, alt.id)}
                  >
                    <GitBranch className="size-3.5" aria-hidden />
                    Branch
                  </button>
                )
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
