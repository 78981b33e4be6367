"use client";
import { DEMO_LABEL } from "@/lib/client/model-readiness";

const EXAMPLES = [
  "Explain what a 1-bit (ternary) language model is, in simple terms.",
  "Write a Python function that checks whether a string is a palindrome.",
  "Give me three ideas for a weekend project with a Raspberry Pi.",
  "Summarize the pros and cons of running AI models locally on a CPU.",
];

/** The empty chat: what this is, and a few prompts to start from. */
export function ExamplePrompts({ onPick, demo, modelId }: { onPick: (prompt: string) => void; demo: boolean; modelId: string | null }) {
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-1 flex-col justify-center gap-6 px-4 py-8">
      <div className="text-center">
        <div aria-hidden className="mx-auto mb-3 flex size-12 items-center justify-center rounded-2xl bg-gradient-to-br from-indigo-500 to-violet-600 text-lg font-bold text-white shadow">
          B
        </div>
        <h1 className="text-2xl font-semibold tracking-tight">BitNet Chat</h1>
        <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
          {demo
            ? "A demo model with random weights stands in for Microsoft’s BitNet b1.58 2B4T, on this machine’s CPU. Nothing leaves your computer."
            : modelId && /bitnet-b1\.58-2B-4T/i.test(modelId)
              ? "Microsoft’s BitNet b1.58 2B4T — a ternary-weight language model — running on this machine’s CPU. Nothing leaves your computer."
              : modelId
                ? `${modelId}, running on this machine’s CPU. Nothing leaves your computer.`
                : "A chat with Microsoft’s BitNet b1.58 2B4T, a ternary-weight language model, on this machine’s CPU once it is ready. Nothing leaves your computer."}
        </p>
        {demo && <p className="mt-2 text-sm font-semibold text-amber-700 dark:text-amber-300">{DEMO_LABEL}</p>}
      </div>
      <ul aria-label="Example prompts" className="grid gap-2 sm:grid-cols-2">
        {EXAMPLES.map((example) => (
          <li key={example}>
            <button
              type="button"
              onClick={() => onPick(example)}
              className="h-full w-full rounded-xl border border-zinc-200 p-3 text-left text-sm text-zinc-700 transition hover:border-indigo-300 hover:bg-indigo-50/50 dark:border-zinc-800 dark:text-zinc-300 dark:hover:border-indigo-700 dark:hover:bg-indigo-950/30"
            >
              {example}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
