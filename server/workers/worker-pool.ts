/**
 * server/workers/ — remote OpenAI-compatible workers pooled with the local model behind one Engine.
 *
 * A pool of OpenAI-compatible inference workers (and, optionally, the local model) behind the one
 * `Engine` interface the chat layer and the `/v1` API already use.
 *
 * Routing: each answer goes to the candidate with the fewest answers in flight (ties rotate), so two
 * answers at once land on two workers — except a follow-up, which goes back to the candidate that served
 * its conversation (whose prompt cache holds it) unless that one is clearly busier (more than one answer
 * above the least loaded). Each request carries OpenAI's `user` = a keyed hash of its cache key, so a
 * worker keeps one prompt cache per conversation without ever learning the conversation's id.
 * Health: every worker's `/models` is polled (one check per worker at a time, never overlapping). A
 * failed check and a request the worker could not take (unreachable, or no first token in time) count
 * alike: a worker that is up goes out after two failures in a row, and the next success of either kind
 * puts it back. A request it could not take is retried on the next candidate; a worker that dies or
 * stalls mid-answer ends that answer with an error (the chat layer keeps the partial text) and is taken
 * out at once.
 */
import { createHmac, randomBytes } from "node:crypto";
import OpenAI from "openai";
import { EngineError, type Engine, type EngineEvent, type GenerateRequest } from "@/server/engine/types";
import type { WorkerEndpoint } from "./worker-config";
import { DEFAULT_WORKER_TIMEOUTS, generateOnWorker, WorkerUnavailable, type WorkerTimeouts } from "./worker-generate";

export type WorkerState = "checking" | "up" | "down";

export interface WorkerStatus {
  url: string;
  state: WorkerState;
  /** The model id the worker serves, once known. */
  model: string | null;
  /** Answers this server has sent to it and not yet finished. */
  inFlight: number;
  /** Answers it has finished for this server since start. */
  served: number;
  /** Why it is down. */
  error: string | null;
}

export interface WorkerPoolOptions {
  endpoints: WorkerEndpoint[];
  /** The local engine while one is loaded (null when there is none or it is not ready). */
  localEngine?: () => Engine | null;
  healthIntervalMs?: number;
  healthTimeoutMs?: number;
  /** Told whenever a worker's state or load changes (drives the status indicator). */
  onChange?: () => void;
  /** First-token and idle-stream limits per request. */
  timeouts?: WorkerTimeouts;
  /** Send follow-ups back to the candidate that served the conversation (default true; false for measuring). */
  affinity?: boolean;
}

/** "Clearly busier": the conversation's own candidate is kept while it has at most this many answers more than the least loaded. */
const AFFINITY_SLACK = 1;
/** Conversations remembered for affinity (the oldest is forgotten first). */
const AFFINITY_ENTRIES = 10_000;

/** BitNet b1.58 2B4T's window; used when no worker advertises its own. */
const DEFAULT_CONTEXT_LENGTH = 4096;

interface Worker {
  endpoint: WorkerEndpoint;
  client: OpenAI;
  state: WorkerState;
  model: string | null;
  contextLength: number | null;
  inFlight: number;
  served: number;
  error: string | null;
  /** Failures in a row: health checks, and requests it could not take. */
  failures: number;
  /** A health check is in flight (the next one waits for it). */
  checking: boolean;
}

type Candidate = { kind: "local"; engine: Engine; load: number } | { kind: "worker"; worker: Worker; load: number };

export class WorkerPool implements Engine {
  private readonly workers: Worker[];
  private readonly healthTimeoutMs: number;
  private readonly healthIntervalMs: number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private rotation = 0;
  /** Cache key → the candidate that last served it. */
  private readonly served = new Map<string, Worker | "local">();
  /** Key of OpenAI's `user` hash: per process, so workers cannot recompute it from a conversation id. */
  private readonly userKey = randomBytes(32);

  constructor(private readonly options: WorkerPoolOptions) {
    this.healthTimeoutMs = options.healthTimeoutMs ?? 10_000;
    this.healthIntervalMs = options.healthIntervalMs ?? 5000;
    this.workers = options.endpoints.map((endpoint) => ({
      endpoint,
      // Failover is ours (next worker), so the client's own retries would only delay it.
      client: new OpenAI({ baseURL: endpoint.baseUrl, apiKey: endpoint.apiKey ?? "none", maxRetries: 0, timeout: 10 * 60_000 }),
      state: "checking",
      model: null,
      contextLength: null,
      inFlight: 0,
      served: 0,
      error: null,
      failures: 0,
      checking: false,
    }));
  }

  get contextLength(): number {
    const local = this.options.localEngine?.();
    if (local) return local.contextLength;
    const known = this.workers.filter((w) => w.state === "up" && w.contextLength).map((w) => w.contextLength as number);
    return known.length > 0 ? Math.min(...known) : DEFAULT_CONTEXT_LENGTH;
  }

  queueLength(): number {
    const local = this.options.localEngine?.()?.queueLength() ?? 0;
    return local + this.workers.reduce((sum, w) => sum + w.inFlight, 0);
  }

  statuses(): WorkerStatus[] {
    return this.workers.map((w) => ({
      url: w.endpoint.baseUrl,
      state: w.state,
      model: w.model,
      inFlight: w.inFlight,
      served: w.served,
      error: w.error,
    }));
  }

  /** True when some worker is up or the local model is loaded. */
  hasCandidate(): boolean {
    return this.candidates(new Set()).length > 0;
  }

  /** Polls every worker now and then every `healthIntervalMs` (the timer does not keep the process alive). */
  start(): void {
    if (this.timer) return;
    void this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), this.healthIntervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async checkAll(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.check(w)));
  }

  async *generate(request: GenerateRequest, signal?: AbortSignal): AsyncGenerator<EngineEvent> {
    const tried = new Set<Worker | "local">();
    let refusal: EngineError | null = null;
    for (;;) {
      const candidate = this.pick(tried, request.cacheKey);
      if (!candidate) throw refusal ?? new EngineError("not_ready", this.notReadyMessage());
      if (candidate.kind === "local") {
        tried.add("local");
        let queuedOrStarted = false;
        try {
          for await (const event of candidate.engine.generate(request, signal)) {
            if (!queuedOrStarted) this.remember(request.cacheKey, "local");
            queuedOrStarted = true;
            yield event;
          }
          return;
        } catch (error) {
          // The local queue is full: a worker may still take it.
          if (!queuedOrStarted && error instanceof EngineError && error.code === "busy") {
            refusal = error;
            continue;
          }
          throw error;
        }
      }
      const { worker } = candidate;
      tried.add(worker);
      worker.inFlight += 1;
      this.changed();
      let started = false;
      try {
        const target = { client: worker.client, model: worker.model ?? "default", label: worker.endpoint.baseUrl, user: this.userOf(request.cacheKey) };
        const timeouts = this.options.timeouts ?? DEFAULT_WORKER_TIMEOUTS;
        for await (const event of generateOnWorker(target, request, signal, (message) => this.markDown(worker, message), timeouts)) {
          if (!started) {
            worker.failures = 0;
            this.remember(request.cacheKey, worker);
          }
          started = true;
          yield event;
        }
        worker.served += 1;
        return;
      } catch (error) {
        if (started) throw error;
        if (error instanceof WorkerUnavailable) {
          this.failed(worker, error.message);
          continue;
        }
        if (error instanceof EngineError && error.code === "busy") {
          refusal = error;
          continue;
        }
        throw error;
      } finally {
        worker.inFlight -= 1;
        this.changed();
      }
    }
  }

  private pick(tried: Set<Worker | "local">, cacheKey: string | undefined): Candidate | null {
    const candidates = this.candidates(tried);
    if (candidates.length === 0) return null;
    const least = Math.min(...candidates.map((c) => c.load));
    const previous = cacheKey !== undefined && this.options.affinity !== false ? this.served.get(cacheKey) : undefined;
    const own = candidates.find((c) => (c.kind === "local" ? previous === "local" : c.worker === previous));
    if (own && own.load <= least + AFFINITY_SLACK) return own;
    const tied = candidates.filter((c) => c.load === least);
    const chosen = tied[this.rotation % tied.length];
    this.rotation += 1;
    return chosen;
  }

  private candidates(tried: Set<Worker | "local">): Candidate[] {
    const list: Candidate[] = this.workers
      .filter((w) => w.state === "up" && !tried.has(w))
      .map((worker) => ({ kind: "worker" as const, worker, load: worker.inFlight }));
    const local = this.options.localEngine?.();
    if (local && !tried.has("local")) list.push({ kind: "local", engine: local, load: local.queueLength() });
    return list;
  }

  private remember(cacheKey: string | undefined, candidate: Worker | "local"): void {
    if (cacheKey === undefined) return;
    this.served.delete(cacheKey); // re-inserted last: the map's order is the forgetting order
    this.served.set(cacheKey, candidate);
    if (this.served.size > AFFINITY_ENTRIES) this.served.delete(this.served.keys().next().value!);
  }

  private userOf(cacheKey: string | undefined): string | undefined {
    return cacheKey === undefined ? undefined : createHmac("sha256", this.userKey).update(cacheKey).digest("base64url");
  }

  private async check(worker: Worker): Promise<void> {
    // A check slower than the interval is still the check: the next one waits for it instead of piling up.
    if (worker.checking) return;
    worker.checking = true;
    try {
      const page = await worker.client.models.list({ timeout: this.healthTimeoutMs, maxRetries: 0 });
      const first = page.data[0] as (OpenAI.Models.Model & ContextHints) | undefined;
      if (!first) throw new Error("it serves no model (/models is empty)");
      const wasUp = worker.state === "up";
      worker.model = first.id;
      worker.contextLength = contextLengthOf(first);
      worker.state = "up";
      worker.error = null;
      worker.failures = 0;
      if (!wasUp) this.changed();
    } catch (error) {
      this.failed(worker, error instanceof Error ? error.message : String(error));
    } finally {
      worker.checking = false;
    }
  }

  /**
   * One failed health check or one request the worker could not take: one slow or lost answer of a worker
   * that is up (busy CPU, a dropped packet) is not an outage, so it goes out after two in a row. (A
   * failure mid-answer takes it out at once: markDown.)
   */
  private failed(worker: Worker, message: string): void {
    worker.failures += 1;
    if (worker.state !== "up" || worker.failures >= 2) this.markDown(worker, message);
  }

  private markDown(worker: Worker, message: string): void {
    const changed = worker.state !== "down" || worker.error !== message;
    worker.state = "down";
    worker.error = message;
    if (changed) this.changed();
  }

  private changed(): void {
    this.options.onChange?.();
  }

  private notReadyMessage(): string {
    const down = this.workers.filter((w) => w.state !== "up");
    if (this.workers.length === 0) return "No model is loaded and no inference worker is configured.";
    const detail = down.map((w) => `${w.endpoint.baseUrl} (${w.state === "checking" ? "checking" : w.error})`).join("; ");
    return `No inference worker is reachable: ${detail}.`;
  }
}

/** Servers advertise their window differently: vLLM `max_model_len`, llama.cpp `meta.n_ctx_train`. */
interface ContextHints {
  max_model_len?: number;
  context_length?: number;
  meta?: { n_ctx_train?: number; n_ctx?: number } | null;
}

function contextLengthOf(model: ContextHints): number | null {
  const value = model.context_length ?? model.max_model_len ?? model.meta?.n_ctx ?? model.meta?.n_ctx_train;
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null;
}
