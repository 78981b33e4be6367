/** A ModelHost that serves a given engine (ready) or throws a given EngineError (e.g. still loading). */
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import { isEngineError, type Engine, type EngineError } from "@/server/engine/types";
import type { ModelHost } from "../model-host-types";

export function fakeHost(engine: Engine | EngineError, modelId = "microsoft/bitnet-b1.58-2B-4T"): ModelHost {
  const ready = !isEngineError(engine);
  const status: ModelStatusDto = {
    state: ready ? "ready" : "loading",
    modelId,
    isDemo: false,
    progress: null,
    error: null,
    contextLength: ready ? engine.contextLength : null,
  };
  return {
    status: () => status,
    start: () => {},
    useDemoModel: async () => {},
    useRealModel: async () => {},
    retry: async () => {},
    engine: () => {
      if (isEngineError(engine)) throw engine;
      return engine;
    },
    subscribe: () => () => {},
  };
}
