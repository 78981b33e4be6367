/**
 * OpenAI request → engine request. Omitted sampling fields take the chat UI's defaults (as llama.cpp's
 * server uses its own defaults rather than OpenAI's), so the API and the UI answer alike; the answer
 * length is the exception (see `maxNewTokens`).
 */
import type { ParsedChatCompletionRequest } from "@/lib/schemas/openai";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import type { ChatTurn, GenerateRequest } from "@/server/engine/types";
import { invalidRequest } from "./errors";

/** Engine seeds are 32-bit; OpenAI's are any integer, so larger or negative seeds wrap (still deterministic). */
const SEED_MODULUS = 2 ** 32;

export function toEngineSeed(seed: number): number {
  return ((seed % SEED_MODULUS) + SEED_MODULUS) % SEED_MODULUS;
}

/**
 * The engine takes one optional system turn first. OpenAI allows system (and `developer`) messages
 * anywhere, so they are gathered, in order, into that one turn.
 */
function toTurns(messages: ParsedChatCompletionRequest["messages"]): ChatTurn[] {
  const system = messages.filter((m) => m.role === "system" || m.role === "developer").map((m) => m.content);
  const dialogue: ChatTurn[] = messages
    .filter((m) => m.role === "user" || m.role === "assistant")
    .map((m) => ({ role: m.role as "user" | "assistant", content: m.content }));
  if (dialogue.at(-1)?.role !== "user") {
    throw invalidRequest("The last message (other than system messages) must be a user message.", "messages");
  }
  return system.length > 0 ? [{ role: "system", content: system.join("\n\n") }, ...dialogue] : dialogue;
}

function maxNewTokens(body: ParsedChatCompletionRequest, contextLength: number): number {
  const param = body.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens";
  const requested = body.max_completion_tokens ?? body.max_tokens;
  // Like OpenAI: without a limit the answer may use the rest of the context window (the engine then stops
  // at end-of-turn, or with "length" when the window is full), rather than being cut at an arbitrary size.
  if (requested == null) return contextLength;
  if (requested > contextLength) {
    throw invalidRequest(
      `${param} is too large: ${requested}. This model supports at most ${contextLength} tokens (prompt and completion together).`,
      param,
      "invalid_value",
    );
  }
  return requested;
}

export function toGenerateRequest(body: ParsedChatCompletionRequest, contextLength: number): GenerateRequest {
  const defaults = DEFAULT_GENERATION_PARAMS;
  const stop = body.stop == null ? [] : (typeof body.stop === "string" ? [body.stop] : body.stop).filter((s) => s.length > 0);
  return {
    messages: toTurns(body.messages),
    params: {
      temperature: body.temperature ?? defaults.temperature,
      topP: body.top_p ?? defaults.topP,
      topK: body.top_k ?? defaults.topK,
      maxNewTokens: maxNewTokens(body, contextLength),
      repetitionPenalty: body.repetition_penalty ?? defaults.repetitionPenalty,
      seed: body.seed == null ? null : toEngineSeed(body.seed),
      speculative: body.speculative ?? undefined,
    },
    stop,
    // Records are made only when asked for: they cost a pass over the vocabulary per token.
    ...(body.logprobs === true ? { logprobs: body.top_logprobs ?? 0 } : {}),
  };
}
