/**
 * A scripted engine for the OpenAI layer's unit tests: it yields the events the real engine yields
 * (queued → start → tokens → done) and records what it was asked and whether it was aborted.
 */
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import type { GenerationStats } from "@/lib/schemas/stats";
import type { ModelHost } from "@/server/host/model-host-types";
import { EngineError, type Engine, type EngineEvent, type GenerateRequest } from "@/server/engine/types";

export interface FakeEngineScript {
  tokens?: string[];
  stopReason?: GenerationStats["stopReason"];
  /** Thrown before `start`, as the real engine does for jobs that cannot run. */
  failWith?: EngineError;
  /** Set on the done event (a failure after start). */
  doneError?: string;
  /** Delay before each token, to leave time for an abort. */
  tokenDelayMs?: number;
}

export class FakeEngine implements Engine {
  readonly contextLength = 4096;
  readonly requests: GenerateRequest[] = [];
  aborted = false;
  /** Set once the generator's clean-up ran (the iterator was finished or returned). */
  finished = false;

  constructor(public script: FakeEngineScript = {}) {}

  queueLength(): number {
    return 0;
  }

  async *generate(request: GenerateRequest, signal?: AbortSignal): AsyncIterable<EngineEvent> {
    this.requests.push(request);
    try {
      const script = this.script;
      yield { type: "queued", position: 0 };
      if (script.failWith) throw script.failWith;
      const promptTokens = request.messages.reduce((n, m) => n + m.content.split(/\s+/).length, 0);
      yield { type: "start", promptTokens, droppedTurns: 0, cachedPromptTokens: 2 };
      const tokens = script.tokens ?? ["Hello", ",", " world", "!"];
      let emitted = 0;
      let stopReason = script.stopReason ?? "eos";
      for (const text of tokens) {
        if (script.tokenDelayMs) await new Promise((r) => setTimeout(r, script.tokenDelayMs));
        if (signal?.aborted) {
          this.aborted = true;
          stopReason = "abort";
          break;
        }
        emitted++;
        yield { type: "token", text, id: emitted };
      }
      const stats: GenerationStats = {
        promptTokens,
        completionTokens: emitted,
        cachedPromptTokens: 2,
        ttftMs: 40,
        prefillTokPerS: 100,
        decodeTokPerS: 20,
        totalMs: 40 + emitted * 50,
        stopReason: script.doneError ? "error" : stopReason,
      };
      yield script.doneError ? { type: "done", stats, error: script.doneError } : { type: "done", stats };
    } finally {
      if (signal?.aborted) this.aborted = true;
      this.finished = true;
    }
  }
}

export function fakeHost(engine: FakeEngine | EngineError, modelId = "microsoft/bitnet-b1.58-2B-4T"): ModelHost {
  const status: ModelStatusDto = {
    state: engine instanceof FakeEngine ? "ready" : "loading",
    modelId,
    isDemo: false,
    progress: null,
    error: null,
    contextLength: 4096,
  };
  return {
    status: () => status,
    start: () => {},
    useDemoModel: async () => {},
    retry: async () => {},
    engine: () => {
      if (engine instanceof FakeEngine) return engine;
      throw engine;
    },
    subscribe: () => () => {},
  };
}
