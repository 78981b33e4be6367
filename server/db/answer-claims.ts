/**
 * What several front instances on one database share about running answers: a claim per conversation
 * (which instance runs its answer — the 409 guard across instances) and a message bus between the
 * instances (Stop, re-attach and the re-attached answer's events). Only PostgreSQL has it
 * (./pg/answer-claims.ts: a claims table with heartbeats, LISTEN/NOTIFY); SQLite is one instance.
 */

/** A bus message: JSON, addressed to one instance (`to`) or to every instance (no `to`). */
export interface BusMessage {
  kind: string;
  to?: string;
  [field: string]: unknown;
}

/** A claim whose instance stopped renewing it (died, or lost the database for longer than the claim lasts). */
export interface ExpiredClaim {
  conversationId: string;
  instanceId: string;
}

export interface AnswerClaims {
  /** This process's id, as written in its claims. */
  readonly instanceId: string;
  /**
   * Claims the conversation for this instance: false when a live claim (of any instance, this one
   * included) holds it. A claim past its expiry (its instance died) is taken over.
   */
  claim(conversationId: string): Promise<boolean>;
  /** The conversation's answer runs here (claimed now if it was not: a new conversation). */
  markRunning(conversationId: string): Promise<void>;
  /** Gives up this instance's claim on the conversation. */
  release(conversationId: string): Promise<void>;
  /** Which instance runs the conversation's answer (null: none, or its instance died). */
  owner(conversationId: string): Promise<string | null>;
  /** Conversations whose answer runs now on some live instance. */
  running(): Promise<Set<string>>;
  /** Sends a message (delivered in send order, to every instance listening, this one too). */
  send(message: BusMessage): Promise<void>;
  /** Every message for this instance (addressed to it, or to all), in order. */
  onMessage(handler: (message: BusMessage) => void): void;
  /** Called (on every instance) with the claims of dead instances when some instance clears or takes them over. */
  onExpired(handler: (claims: ExpiredClaim[]) => void): void;
  close(): Promise<void>;
}
