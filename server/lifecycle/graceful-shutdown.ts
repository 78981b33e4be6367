/**
 * server/lifecycle/ — the process's life around the requests: work that must finish before exit
 * (in-flight.ts), the shutdown sequence (this file), request-body timeouts (request-timeout.ts), uploads the
 * client abandoned (upload-aborts.ts).
 *
 * SIGTERM / SIGINT: stop taking requests, stop the answers being generated (the chat layer saves each as
 * "stopped"), wait for those saves, checkpoint the SQLite WAL into the database file, close it, exit 0.
 *
 * `next start` installs its own handlers, which wait for every open response (a streaming answer can take
 * minutes) and then exit with 143; ours replace them so the answers are stopped instead and the exit is
 * clean. A second signal exits at once.
 */
import type { ClosableDatabase } from "@/server/db/connection";
import { inFlightSettled, markShuttingDown } from "./in-flight";

export interface ShutdownDeps {
  /** Stops the chat answers being generated and resolves once each is saved (as "stopped"). */
  stopAnswers?(): Promise<void>;
  /** Closes the engine (aborting its jobs, waiting for the forward pass) and frees the model. */
  disposeModel(): Promise<void>;
  /** The database if it was opened (never opens one just to close it). */
  database(): ClosableDatabase | undefined;
  log?: Pick<Console, "info" | "error">;
  exit?: (code: number) => void;
  /** Upper bound for stopping answers and saving them. */
  timeoutMs?: number;
}

const SIGNALS = ["SIGTERM", "SIGINT"] as const;

function within(promise: Promise<unknown>, ms: number, what: string, log: Pick<Console, "error">): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      log.error(`[server] ${what} took longer than ${ms} ms; shutting down anyway`);
      resolve();
    }, ms);
  });
  return Promise.race([promise.then(() => undefined, (error: unknown) => log.error(`[server] ${what} failed:`, error)), timeout]).finally(() =>
    clearTimeout(timer),
  );
}

/** Runs the shutdown once; the returned promise settles after `exit` was called. */
export async function shutdown(deps: ShutdownDeps, signal: string): Promise<void> {
  const log = deps.log ?? console;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  markShuttingDown();
  log.info(`[server] ${signal}: stopping running answers, saving them, closing the database`);
  // Both stop the chat answers (the registry directly, the engine by aborting its jobs); the engine also
  // ends /v1 requests and waits for the forward pass in flight.
  await within(Promise.all([deps.stopAnswers?.(), deps.disposeModel()]), timeoutMs, "stopping the answers and the model", log);
  await within(inFlightSettled(), timeoutMs, "saving the stopped answers", log);
  let code = 0;
  const open = deps.database();
  if (open) {
    try {
      await open.close();
    } catch (error) {
      log.error("[server] closing the database failed:", error);
      code = 1;
    }
  }
  (deps.exit ?? process.exit)(code);
}

const installed = globalThis as typeof globalThis & { __bitnetShutdownInstalled?: boolean };

export function installShutdownHandlers(deps: ShutdownDeps): void {
  if (installed.__bitnetShutdownInstalled) return;
  installed.__bitnetShutdownInstalled = true;
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) {
      (deps.exit ?? process.exit)(signal === "SIGINT" ? 130 : 143);
      return;
    }
    started = true;
    void shutdown(deps, signal);
  };
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) process.off(signal, listener);
    process.on(signal, onSignal);
  }
  // The shutdown owns these signals for the life of the process: a listener added later would act on them
  // too. signal-exit (proper-lockfile's lock clean-up, loaded with the model host) re-raises a signal with
  // process.kill when it counts only its own listeners — it did once two copies of it were loaded — and the
  // re-raised signal then counted as a second one: exit 143 instead of a clean 0. (Its exit hook, which
  // releases the locks, is not a signal listener and stays.)
  process.on("newListener", (event: string | symbol, listener: (...args: unknown[]) => void) => {
    if ((SIGNALS as readonly (string | symbol)[]).includes(event) && listener !== onSignal) queueMicrotask(() => process.off(event as NodeJS.Signals, listener));
  });
}
