/**
 * The process-wide owner of "the model": acquires it (download → convert), loads it once, reports
 * its status, and hands out the engine. Implemented in `server/host/model-host.ts` (`getModelHost()`),
 * kept on `globalThis` so Next.js dev reloads do not load the model twice.
 */
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import type { Engine } from "@/server/engine/types";

export interface ModelHost {
  status(): ModelStatusDto;
  /** Starts acquisition and loading in the background if not started yet; idempotent. */
  start(): void;
  /** Switches to the offline demo model (generated locally on first use); remembered across restarts. */
  useDemoModel(): Promise<void>;
  /** Forgets the demo choice and switches back to the configured model. */
  useRealModel(): Promise<void>;
  /** Retries after an error (e.g. the network came back). */
  retry(): Promise<void>;
  /** The loaded engine; throws `EngineError("not_ready", <what is happening / what to do>)` otherwise. */
  engine(): Engine;
  /** Called on every status change (progress included); returns an unsubscribe function. */
  subscribe(listener: (status: ModelStatusDto) => void): () => void;
}
