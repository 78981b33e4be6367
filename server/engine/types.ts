/**
 * The engine's public interface: what the chat use cases and the OpenAI-compatible API call.
 * The engine knows nothing about HTTP or the database.
 */
import type { TokenRecord } from "./token-logprobs";

export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface SamplingParams {
  /** 0 = greedy. */
  temperature: number;
  topP: number;
  topK: number;
  maxNewTokens: number;
  /** 1 = off. */
  repetitionPenalty: number;
  /** null/undefined = random. Same seed + same inputs ⇒ same tokens. */
  seed?: number | null;
  /** Prompt-lookup speculative decoding; absent = SPECULATIVE_BY_DEFAULT (lib/speculative-default.ts). The output is the same either way, only the speed differs. */
  speculative?: boolean;
}

export interface GenerateRequest {
  /** Optional system turn first, then history; the last turn is the user's. */
  messages: ChatTurn[];
  params: SamplingParams;
  /** Stop strings (OpenAI `stop`): generation ends before the first occurrence, which is not emitted. */
  stop?: string[];
  /**
   * The last turn is an unfinished assistant answer to extend: the prompt ends with its text, with
   * no end-of-turn token and no new generation prompt (HF's `continue_final_message`).
   */
  continueFinalMessage?: boolean;
  /**
   * Who may share the KV cache with this job: a conversation, or one API caller. The cached prefix of the
   * previous job is reused only when its key is the same, so neither `cachedPromptTokens` nor the time to
   * first token tells anyone how much of someone else's prompt they guessed. No key: nothing is reused.
   */
  cacheKey?: string;
  /**
   * Record per-token log-probabilities with this many best alternatives (0–20): each generated token's
   * event then carries a `record`. Absent: nothing is recorded (no cost).
   */
  logprobs?: number;
  /**
   * Token ids the answer starts with, used exactly as given (a branch of an earlier answer: its tokens
   * up to a position, then a chosen token). They follow the generation prompt, are emitted as `forced`
   * token events first, and do not count against `maxNewTokens`.
   */
  answerPrefixIds?: readonly number[];
}

/** Why a generation ended ("stop": a stop string matched; "context": the context window is full). */
export type EngineStopReason = "eos" | "length" | "abort" | "context" | "error" | "stop";

/** Measured by the engine for every job; the chat and OpenAI layers map it to their wire shapes. */
export interface EngineStats {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from the KV cache of the previous job (not recomputed). */
  cachedPromptTokens: number;
  /** From the job's start (after queueing) to the first sampled token. */
  ttftMs: number;
  prefillTokPerS: number;
  decodeTokPerS: number;
  totalMs: number;
  stopReason: EngineStopReason;
  /** Speculative decoding: draft tokens verified, and how many of them the model accepted. */
  draftTokens?: number;
  acceptedDraftTokens?: number;
  /**
   * Several answers at once (BITNET_PARALLEL > 1): the most answers, this one included, that ran in one
   * forward pass with it (1 = it ran alone). Absent when answers run one after another.
   */
  answersSharing?: number;
}

export type EngineEvent =
  | { type: "queued"; position: number }
  | { type: "start"; promptTokens: number; droppedTurns: number; cachedPromptTokens: number }
  | { type: "prefill"; done: number; total: number }
  /** `record`: when the request asked for logprobs (not for forced tokens); `forced`: from answerPrefixIds. */
  | { type: "token"; text: string; id: number; record?: TokenRecord; forced?: true }
  /** Always the last event. A failure after start ends with stopReason "error" and `error` set; text so far is kept. */
  | { type: "done"; stats: EngineStats; error?: string };

export type EngineErrorCode =
  | "busy" // queue full: retry later
  | "not_ready" // model not loaded (see model status)
  | "context_overflow" // one message alone does not fit the context window
  | "aborted" // aborted while still queued
  | "internal";

/** Thrown (from `generate`'s iterator, before any `start` event) for requests that cannot run. */
export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }

  /**
   * Next.js bundles `instrumentation.ts` (which creates the model host) apart from the route handlers,
   * so an EngineError may come from another copy of this class: recognise it by shape, not identity.
   */
  static [Symbol.hasInstance](value: unknown): value is EngineError {
    return isEngineError(value);
  }
}

export interface Engine {
  /** Events stream; `signal` aborts (leaves the queue if still waiting; stops before the next decode step). */
  generate(request: GenerateRequest, signal?: AbortSignal): AsyncIterable<EngineEvent>;
  /** Context window in tokens. */
  readonly contextLength: number;
  /** The model's vocabulary size (token ids are 0…vocabSize-1); absent when not known (remote workers). */
  readonly vocabSize?: number;
  /** Number of jobs running + waiting. */
  queueLength(): number;
  /**
   * Refuses new jobs (`not_ready`), aborts the running and queued ones (each still ends with its `done`
   * event, so callers save what was generated) and resolves once all have ended: after that no forward
   * pass is running and the model may be disposed. Optional for test doubles that hold nothing.
   */
  close?(reason?: string): Promise<void>;
}

/** True for an EngineError from any bundled copy of this module (what `instanceof EngineError` checks). */
export function isEngineError(error: unknown): error is EngineError {
  return (
    error instanceof Error &&
    error.name === "EngineError" &&
    typeof (error as { code?: unknown }).code === "string"
  );
}
