import type { ModelHost } from "./model-host-types";

/** The loaded model's vocabulary size (what token ids an import may hold); undefined while none is loaded. */
export function loadedVocabSize(host: ModelHost): number | undefined {
  return host.status().state === "ready" ? host.engine().vocabSize : undefined;
}
