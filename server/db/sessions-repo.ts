/** Sign-in sessions, one function per query (validity rules: server/auth/sessions.ts). Synchronous: see ./types.ts. */
import { eq, lte, ne, or } from "drizzle-orm";
import { sessions, type SessionRow } from "./schema";
import type { Db } from "./types";

export function insertSession(db: Db, args: { session: SessionRow }): void {
  db.insert(sessions).values(args.session).run();
}

export function getSession(db: Db, args: { tokenHash: string }): SessionRow | undefined {
  return db.select().from(sessions).where(eq(sessions.tokenHash, args.tokenHash)).get();
}

export function deleteSession(db: Db, args: { tokenHash: string }): boolean {
  return db.delete(sessions).where(eq(sessions.tokenHash, args.tokenHash)).run().changes > 0;
}

/** Sessions that can no longer be valid: expired by `now`, or opened under another key (all of them when `keyFingerprint` is null). */
export function deleteStaleSessions(db: Db, args: { keyFingerprint: string | null; now: Date }): number {
  const expired = lte(sessions.expiresAt, args.now);
  const where = args.keyFingerprint === null ? undefined : or(expired, ne(sessions.keyFingerprint, args.keyFingerprint));
  return db.delete(sessions).where(where).run().changes;
}
