import type { ChatState } from "./chat-reducer";

/**
 * Tokens of the context window the conversation uses, for the header's meter: the answer being
 * written (its prompt plus the tokens so far) while one runs, "pending" until the server has counted
 * its prompt; otherwise the latest answer's prompt + answer. Never a replaced answer's figures: during
 * a regenerate the old version is no longer what the next turn's context will hold.
 */
export function contextUsage(state: ChatState): number | "pending" | null {
  const { run } = state;
  if (run) return run.started && run.promptTokens > 0 ? run.promptTokens + run.timing.tokens : "pending";
  const lastAnswer = [...state.messages].reverse().find((m) => m.role === "assistant" && m.stats);
  return lastAnswer?.stats ? lastAnswer.stats.promptTokens + lastAnswer.stats.completionTokens : null;
}
