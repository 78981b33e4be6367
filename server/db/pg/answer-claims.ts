/**
 * AnswerClaims on PostgreSQL: the `answer_claims` table and LISTEN/NOTIFY on one channel.
 *
 * - A claim is a row (conversation → instance) whose `expires_at` every instance pushes ahead for its own
 *   rows each `ttl / 4` (one UPDATE). A row past `expires_at` belongs to a dead instance: a new claim
 *   takes it over (INSERT … ON CONFLICT … WHERE expired), and the same heartbeat deletes such rows and
 *   tells every instance (`claims-expired`), so re-attached streams of the dead answer end. The answer's
 *   message needs no repair: while an answer streams, its row is saved as "stopped" with the text so far
 *   (server/chat/progress-saver.ts), which is exactly how a dead instance's answer should read.
 * - Messages go out with pg_notify, one at a time from this instance (so they arrive in send order), and
 *   come in on one dedicated connection that LISTENs (reconnecting after a failure). A payload above
 *   NOTIFY's 8000-byte limit is written to `answer_relay` and the notification names its row.
 */
import { randomUUID } from "node:crypto";
import pg, { type Pool } from "pg";
import type { AnswerClaims, BusMessage, ExpiredClaim } from "../answer-claims";
import { unreachableOr } from "./pg-store";

const CHANNEL = "bitnet_answers";
/** Below NOTIFY's 8000-byte payload limit, with room for the channel name. */
const MAX_INLINE_BYTES = 7_500;
/** Relay rows nobody fetched (their reader died) are dropped after this long. */
const RELAY_KEEP_MS = 10 * 60_000;
export const DEFAULT_CLAIM_TTL_MS = 15_000;
const RECONNECT_MS = 1_000;

export interface PgAnswerClaimsOptions {
  pool: Pool;
  /** For the dedicated LISTEN connection. */
  url: string;
  /** Resolves once the schema is migrated. */
  ready: () => Promise<void>;
  /** How long a claim outlives its instance's last heartbeat. */
  ttlMs?: number;
}

export class PgAnswerClaims implements AnswerClaims {
  readonly instanceId = randomUUID();
  private readonly pool: Pool;
  private readonly ttlMs: number;
  private readonly handlers: ((message: BusMessage) => void)[] = [];
  private readonly expiredHandlers: ((claims: ExpiredClaim[]) => void)[] = [];
  private listener: pg.Client | null = null;
  private listening: Promise<void> | null = null;
  /** Sends run one after the other: pg_notify on pooled connections would otherwise race. */
  private sending: Promise<void> = Promise.resolve();
  /** Incoming messages are handled one after the other: a relayed one is fetched before the next is handled. */
  private receiving: Promise<void> = Promise.resolve();
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private beating = false;
  private closed = false;

  constructor(private readonly options: PgAnswerClaimsOptions) {
    this.pool = options.pool;
    this.ttlMs = options.ttlMs ?? DEFAULT_CLAIM_TTL_MS;
    this.heartbeat = setInterval(() => void this.beat(), Math.max(50, Math.floor(this.ttlMs / 4)));
    this.heartbeat.unref?.();
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      await this.options.ready();
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw unreachableOr(error);
    }
  }

  async claim(conversationId: string): Promise<boolean> {
    await this.listen();
    const result = await this.query<{ previous: string | null }>(
      `WITH previous AS (SELECT instance_id FROM answer_claims WHERE conversation_id = $1 AND expires_at < now())
       INSERT INTO answer_claims (conversation_id, instance_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (conversation_id) DO UPDATE SET instance_id = EXCLUDED.instance_id, running = false, claimed_at = now(), expires_at = EXCLUDED.expires_at
       WHERE answer_claims.expires_at < now()
       RETURNING (SELECT instance_id FROM previous) AS previous`,
      [conversationId, this.instanceId, this.ttlMs / 1000],
    );
    if (result.rowCount !== 1) return false;
    const previous = result.rows[0]!.previous;
    if (previous) await this.send({ kind: "claims-expired", claims: [{ conversationId, instanceId: previous }] });
    return true;
  }

  async markRunning(conversationId: string): Promise<void> {
    await this.listen();
    // A new conversation was never reserved (nobody knew its id before its turn was written): claimed here.
    await this.query(
      `INSERT INTO answer_claims (conversation_id, instance_id, running, expires_at) VALUES ($1, $2, true, now() + make_interval(secs => $3))
       ON CONFLICT (conversation_id) DO UPDATE SET running = true WHERE answer_claims.instance_id = EXCLUDED.instance_id`,
      [conversationId, this.instanceId, this.ttlMs / 1000],
    );
  }

  async release(conversationId: string): Promise<void> {
    await this.query("DELETE FROM answer_claims WHERE conversation_id = $1 AND instance_id = $2", [conversationId, this.instanceId]);
  }

  async owner(conversationId: string): Promise<string | null> {
    const result = await this.query<{ instance_id: string }>("SELECT instance_id FROM answer_claims WHERE conversation_id = $1 AND expires_at >= now()", [conversationId]);
    return result.rows[0]?.instance_id ?? null;
  }

  async running(): Promise<Set<string>> {
    const result = await this.query<{ conversation_id: string }>("SELECT conversation_id FROM answer_claims WHERE running AND expires_at >= now()");
    return new Set(result.rows.map((row) => row.conversation_id));
  }

  send(message: BusMessage): Promise<void> {
    // Listening first: whoever sends (attach, stop) expects an answer on the bus.
    const sent = this.sending.then(async () => {
      await this.listen();
      await this.notify(message);
    });
    this.sending = sent.catch(() => undefined);
    return sent;
  }

  private async notify(message: BusMessage): Promise<void> {
    let payload = JSON.stringify(message);
    if (Buffer.byteLength(payload) > MAX_INLINE_BYTES) {
      const row = await this.query<{ id: string }>("INSERT INTO answer_relay (payload) VALUES ($1) RETURNING id", [payload]);
      payload = JSON.stringify({ kind: "relay", to: message.to, id: row.rows[0]!.id } satisfies BusMessage);
    }
    await this.query("SELECT pg_notify($1, $2)", [CHANNEL, payload]);
  }

  onMessage(handler: (message: BusMessage) => void): void {
    this.handlers.push(handler);
    void this.listen().catch((error: unknown) => console.error("[answers] listening for other instances failed:", error));
  }

  onExpired(handler: (claims: ExpiredClaim[]) => void): void {
    this.expiredHandlers.push(handler);
  }

  /** Opens the LISTEN connection once (and again after it failed). */
  private listen(): Promise<void> {
    this.listening ??= this.connectListener().catch((error: unknown) => {
      this.listening = null;
      throw unreachableOr(error);
    });
    return this.listening;
  }

  private async connectListener(): Promise<void> {
    await this.options.ready();
    const client = new pg.Client({ connectionString: this.options.url });
    client.on("notification", (note) => {
      if (note.channel === CHANNEL && note.payload) this.receive(note.payload);
    });
    client.on("error", (error) => {
      console.error("[answers] the LISTEN connection failed:", error.message);
      this.dropListener(client);
    });
    client.on("end", () => this.dropListener(client));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
  }

  private dropListener(client: pg.Client): void {
    if (this.listener !== client) return;
    this.listener = null;
    this.listening = null;
    void client.end().catch(() => undefined);
    if (this.closed) return;
    const retry = setTimeout(() => void this.listen().catch(() => undefined), RECONNECT_MS);
    retry.unref?.();
  }

  private receive(payload: string): void {
    let message: BusMessage;
    try {
      message = JSON.parse(payload) as BusMessage;
    } catch {
      return;
    }
    if (message.to !== undefined && message.to !== this.instanceId) return;
    this.receiving = this.receiving
      .then(async () => {
        const resolved = message.kind === "relay" ? await this.fetchRelay(String(message.id)) : message;
        if (resolved) this.dispatch(resolved);
      })
      .catch((error: unknown) => console.error("[answers] handling a message from another instance failed:", error));
  }

  private async fetchRelay(id: string): Promise<BusMessage | null> {
    const row = await this.query<{ payload: string }>("DELETE FROM answer_relay WHERE id = $1 RETURNING payload", [id]);
    return row.rows[0] ? (JSON.parse(row.rows[0].payload) as BusMessage) : null;
  }

  private dispatch(message: BusMessage): void {
    if (message.kind === "claims-expired") {
      const claims = message.claims as ExpiredClaim[];
      for (const handler of this.expiredHandlers) handler(claims);
      return;
    }
    for (const handler of this.handlers) handler(message);
  }

  /** Keeps this instance's claims alive, clears dead instances' claims (and tells everyone), drops stale relay rows. */
  private async beat(): Promise<void> {
    if (this.beating || this.closed) return;
    this.beating = true;
    try {
      await this.query("UPDATE answer_claims SET expires_at = now() + make_interval(secs => $2) WHERE instance_id = $1", [this.instanceId, this.ttlMs / 1000]);
      const expired = await this.query<{ conversation_id: string; instance_id: string }>("DELETE FROM answer_claims WHERE expires_at < now() RETURNING conversation_id, instance_id");
      const claims: ExpiredClaim[] = expired.rows.map((row) => ({ conversationId: row.conversation_id, instanceId: row.instance_id }));
      if (claims.length > 0) await this.send({ kind: "claims-expired", claims });
      await this.query("DELETE FROM answer_relay WHERE created_at < now() - make_interval(secs => $1)", [RELAY_KEEP_MS / 1000]);
    } catch (error) {
      // The database is away: claims are renewed on the next beat (they last `ttl`, four beats).
      console.error("[answers] the claims heartbeat failed:", error instanceof Error ? error.message : error);
    } finally {
      this.beating = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    const client = this.listener;
    this.listener = null;
    await client?.end().catch(() => undefined);
  }
}
