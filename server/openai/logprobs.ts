/**
 * Engine token records → OpenAI's `choices[].logprobs.content[]`. The numbers are the model's own
 * log-probabilities (before repetition penalty, temperature, top-k and top-p), as OpenAI's and vLLM's are:
 * they describe the model, not one sampling setting, and are never -∞ for a token the settings left out.
 * The alternatives are the best ones after the penalty, most probable first.
 */
import type { ChatCompletionTokenLogprob } from "openai/resources/chat/completions";
import type { TokenAlternative, TokenRecord } from "@/server/engine/token-logprobs";

/** OpenAI's stand-in for a probability too small to represent. */
const FLOOR = -9999;

function logprobOf(alt: TokenAlternative): number {
  return Number.isFinite(alt.rawLogprob) ? alt.rawLogprob : FLOOR;
}

export function toTokenLogprob(record: TokenRecord): ChatCompletionTokenLogprob {
  const top = record.top
    .map((alt) => ({ token: alt.text, logprob: logprobOf(alt), bytes: alt.bytes }))
    .sort((a, b) => b.logprob - a.logprob);
  return { token: record.text, logprob: logprobOf(record), bytes: record.bytes, top_logprobs: top };
}
