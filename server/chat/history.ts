/** What the engine sees of a conversation: the system prompt, then the turns worth continuing from. */
import { withAttachments } from "@/lib/attachments";
import type { GenerationParams } from "@/lib/schemas/params";
import type { MessageRow } from "@/server/db/schema";
import type { ChatTurn, SamplingParams } from "@/server/engine/types";

/**
 * A question's attached files come before it in its turn (lib/schemas/attachments.ts `withAttachments`).
 * Failed answers (status error) and empty ones (a stop before the first token, a crash mid-answer)
 * are left out: they would teach the model to answer with nothing. The engine drops the oldest
 * turns itself when the context is too small.
 */
export function buildEngineMessages(history: readonly (Pick<MessageRow, "role" | "content" | "status"> & Partial<Pick<MessageRow, "attachments">>)[], params: GenerationParams): ChatTurn[] {
  const turns: ChatTurn[] = [];
  const system = params.systemPrompt.trim();
  if (system) turns.push({ role: "system", content: system });
  for (const m of history) {
    if (m.role === "system") continue;
    if (m.role === "assistant" && (m.status === "error" || m.content.trim() === "")) continue;
    // A question's files go before it, each in its delimited block.
    turns.push({ role: m.role, content: m.role === "user" ? withAttachments(m.content, m.attachments) : m.content });
  }
  return turns;
}

/** The same turns with another system prompt (none when it is blank): one question asked under two system prompts. */
export function withSystemPrompt(turns: readonly ChatTurn[], systemPrompt: string): ChatTurn[] {
  const rest = turns[0]?.role === "system" ? turns.slice(1) : [...turns];
  const system = systemPrompt.trim();
  return system ? [{ role: "system", content: system }, ...rest] : rest;
}

export function toSamplingParams(params: GenerationParams): SamplingParams {
  return {
    temperature: params.temperature,
    topP: params.topP,
    topK: params.topK,
    maxNewTokens: params.maxNewTokens,
    repetitionPenalty: params.repetitionPenalty,
    seed: params.seed,
    speculative: params.speculative,
  };
}
