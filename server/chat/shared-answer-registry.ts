/**
 * RunningAnswers for several front instances on one PostgreSQL: the answers running in this process
 * stay in a local AnswerRegistry; the database's claims (server/db/answer-claims.ts) say which instance
 * runs which conversation, and the bus carries what crosses instances:
 *
 * - 409: a conversation is claimed in the database before its turn is written, so a second send on any
 *   instance is refused while the claim lives.
 * - Stop on another instance: `stop` → the owner stops its answer, saves it and replies `stopped`.
 * - Re-attach on another instance: `attach` → the owner listens to its answer as a local re-attach
 *   would (snapshot first, then every event) and forwards what it hears in batches (`events`, then
 *   `end`); the follower's stream is made of exactly those events. `detach` when the follower leaves.
 * - An owner that dies: its claim expires; whichever instance clears it tells everyone, and the
 *   followers and stops waiting on it end (the answer's row already reads "stopped" with its saved text).
 */
import { randomUUID } from "node:crypto";
import type { StopAnswerDto } from "@/lib/schemas/conversations";
import type { ChatEvent } from "@/lib/schemas/events";
import type { AnswerClaims, BusMessage, ExpiredClaim } from "@/server/db/answer-claims";
import type { AnswerRegistry } from "./answer-registry";
import type { IsAnswering } from "./conversations";
import { EventChannel } from "./event-channel";
import { stillAnswering, type ConversationRun, type RunningAnswers } from "./running-answers";

/** Forwarded events wait this long to travel together (one NOTIFY for several tokens). */
const BATCH_MS = 40;
/**
 * How often waiting followers and stops check that their answer's claim is still there. A message can be
 * lost (a LISTEN connection that reconnected meanwhile): one whose claim has been gone for two checks in
 * a row ends instead of waiting forever.
 */
const CHECK_MS = 2_000;

interface Waiting {
  conversationId: string;
  owner: string;
  /** Checks in a row that found the claim gone or another instance's. */
  missed: number;
}

interface RemoteFollower extends Waiting {
  channel: EventChannel<ChatEvent>;
}

interface RemoteStop extends Waiting {
  resolve(result: StopAnswerDto | null): void;
}

export class SharedAnswerRegistry implements RunningAnswers {
  private readonly followers = new Map<string, RemoteFollower>();
  private readonly forwards = new Map<string, AbortController>();
  private readonly stops = new Map<string, RemoteStop>();
  /** Claim writes per conversation, in order (a quick answer's release must not overtake its claim). */
  private readonly writes = new Map<string, Promise<void>>();
  private checker: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly claims: AnswerClaims,
    /** The answers running in this process. */
    private readonly local: AnswerRegistry,
  ) {
    claims.onMessage((message) => this.handle(message));
    claims.onExpired((expired) => this.expired(expired));
  }

  private get me(): string {
    return this.claims.instanceId;
  }

  async reserve(conversationId: string): Promise<() => void> {
    this.local.assertIdle(conversationId);
    if (!(await this.claims.claim(conversationId))) throw stillAnswering();
    let releaseLocal: () => void;
    try {
      releaseLocal = await this.local.reserve(conversationId);
    } catch (error) {
      this.write(conversationId, () => this.claims.release(conversationId));
      throw error;
    }
    return () => {
      releaseLocal();
      // `track` follows at once when the turn was written: the claim then stays with the answer.
      queueMicrotask(() => {
        if (!this.local.get(conversationId)) this.write(conversationId, () => this.claims.release(conversationId));
      });
    };
  }

  track(answer: ConversationRun): void {
    const id = answer.conversationId;
    this.local.track(answer);
    this.write(id, () => this.claims.markRunning(id));
    void answer.settled.then(() => this.write(id, () => this.claims.release(id)));
  }

  private write(conversationId: string, work: () => Promise<void>): void {
    const next = (this.writes.get(conversationId) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => console.error("[answers] updating the answer's claim failed:", error instanceof Error ? error.message : error));
    this.writes.set(conversationId, next);
    void next.then(() => {
      if (this.writes.get(conversationId) === next) this.writes.delete(conversationId);
    });
  }

  async answering(): Promise<IsAnswering> {
    const running = await this.claims.running();
    return (id) => running.has(id) || this.local.isAnswering(id);
  }

  async stop(conversationId: string): Promise<StopAnswerDto | null> {
    if (this.local.get(conversationId)) return this.local.stop(conversationId);
    const owner = await this.claims.owner(conversationId);
    if (!owner || owner === this.me) return this.local.stop(conversationId);
    const request = randomUUID();
    const reply = new Promise<StopAnswerDto | null>((resolve) => this.stops.set(request, { conversationId, owner, missed: 0, resolve }));
    this.checkWaiting();
    await this.claims.send({ kind: "stop", to: owner, from: this.me, conversationId, request });
    return reply;
  }

  async follow(conversationId: string, signal: AbortSignal): Promise<AsyncGenerator<ChatEvent> | null> {
    const here = this.local.get(conversationId);
    if (here) return here.listen({ snapshot: true, signal });
    const owner = await this.claims.owner(conversationId);
    if (!owner || owner === this.me) return this.local.follow(conversationId, signal);
    const id = randomUUID();
    const follower: RemoteFollower = { conversationId, owner, missed: 0, channel: new EventChannel<ChatEvent>() };
    this.followers.set(id, follower);
    this.checkWaiting();
    await this.claims.send({ kind: "attach", to: owner, from: this.me, conversationId, follower: id });
    return this.remoteEvents(id, follower, signal);
  }

  private async *remoteEvents(id: string, follower: RemoteFollower, signal: AbortSignal): AsyncGenerator<ChatEvent> {
    const leave = () => follower.channel.close();
    if (signal.aborted) leave();
    else signal.addEventListener("abort", leave, { once: true });
    try {
      yield* follower.channel.values();
    } finally {
      signal.removeEventListener("abort", leave);
      // Still registered: the follower left before the answer ended; the owner stops forwarding.
      if (this.followers.delete(id)) void this.send({ kind: "detach", to: follower.owner, follower: id });
    }
  }

  /** Shutdown: the answers are saved, then their claims are given up before the database closes (others need not wait for expiry). */
  async stopAll(): Promise<void> {
    await this.local.stopAll();
    await Promise.resolve(); // each answer's release is queued when its `settled` resolves
    await Promise.all([...this.writes.values()]);
  }

  private send(message: BusMessage): Promise<void> {
    return this.claims.send(message).catch((error: unknown) => console.error("[answers] telling another instance failed:", error instanceof Error ? error.message : error));
  }

  private handle(message: BusMessage): void {
    switch (message.kind) {
      case "attach":
        return this.startForwarding(String(message.conversationId), String(message.follower), String(message.from));
      case "detach":
        this.forwards.get(String(message.follower))?.abort();
        return;
      case "events": {
        const follower = this.followers.get(String(message.follower));
        for (const event of (message.events as ChatEvent[]) ?? []) follower?.channel.push(event);
        return;
      }
      case "end": {
        const id = String(message.follower);
        this.followers.get(id)?.channel.close();
        this.followers.delete(id);
        return;
      }
      case "stop": {
        const reply = (result: StopAnswerDto | null) => this.send({ kind: "stopped", to: String(message.from), request: message.request, result });
        void this.local.stop(String(message.conversationId)).then(reply, (error: unknown) => {
          console.error("[answers] stopping an answer for another instance failed:", error);
          return reply(null);
        });
        return;
      }
      case "stopped": {
        const request = String(message.request);
        this.stops.get(request)?.resolve((message.result as StopAnswerDto | null) ?? null);
        this.stops.delete(request);
        return;
      }
    }
  }

  /** An `attach` from another instance: its follower gets what a local re-attach would, in batches. */
  private startForwarding(conversationId: string, follower: string, to: string): void {
    const answer = this.local.get(conversationId);
    if (!answer) {
      void this.send({ kind: "end", to, follower });
      return;
    }
    const detach = new AbortController();
    this.forwards.set(follower, detach);
    void this.forward(answer.listen({ snapshot: true, signal: detach.signal }), follower, to).finally(() => this.forwards.delete(follower));
  }

  private async forward(events: AsyncGenerator<ChatEvent>, follower: string, to: string): Promise<void> {
    let batch: ChatEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Sends are delivered in call order (AnswerClaims.send), so flushing never needs awaiting here.
    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (batch.length > 0) void this.send({ kind: "events", to, follower, events: batch });
      batch = [];
    };
    let first = true;
    try {
      for await (const event of events) {
        batch.push(event);
        if (first) flush(); // the snapshot at once: the follower shows it before the next token
        else timer ??= setTimeout(flush, BATCH_MS);
        first = false;
      }
    } finally {
      flush();
      void this.send({ kind: "end", to, follower });
    }
  }

  /** While something here waits on another instance, checks now and then that it still has reason to. */
  private checkWaiting(): void {
    if (this.checker) return;
    this.checker = setInterval(() => void this.check(), CHECK_MS);
    this.checker.unref?.();
  }

  private async check(): Promise<void> {
    if (this.followers.size === 0 && this.stops.size === 0) {
      if (this.checker) clearInterval(this.checker);
      this.checker = null;
      return;
    }
    const waiting = [...this.followers.values(), ...this.stops.values()];
    let owners: Map<string, string | null>;
    try {
      const ids = [...new Set(waiting.map((w) => w.conversationId))];
      owners = new Map(await Promise.all(ids.map(async (id) => [id, await this.claims.owner(id)] as const)));
    } catch {
      return; // the database is away: nothing can be concluded
    }
    const gone: ExpiredClaim[] = [];
    for (const entry of waiting) {
      entry.missed = owners.get(entry.conversationId) === entry.owner ? 0 : entry.missed + 1;
      if (entry.missed >= 2) gone.push({ conversationId: entry.conversationId, instanceId: entry.owner });
    }
    this.expired(gone);
  }

  /** Dead instances' claims: whatever here waits on their answers ends. */
  private expired(claims: ExpiredClaim[]): void {
    for (const claim of claims) {
      for (const [id, follower] of this.followers) {
        if (follower.conversationId !== claim.conversationId || follower.owner !== claim.instanceId) continue;
        this.followers.delete(id);
        follower.channel.close();
      }
      for (const [request, stop] of this.stops) {
        if (stop.conversationId !== claim.conversationId || stop.owner !== claim.instanceId) continue;
        this.stops.delete(request);
        stop.resolve(null);
      }
    }
  }
}
