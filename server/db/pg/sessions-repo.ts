/** Sign-in sessions on PostgreSQL: the same functions as ../sessions-repo.ts. */
import { eq, lte, ne, or } from "drizzle-orm";
import type { SessionRow } from "../schema";
import { sessions } from "./schema";
import type { PgDb } from "./types";

export async function insertSession(db: PgDb, args: { session: SessionRow }): Promise<void> {
  await db.insert(sessions).values(args.session);
}

export async function getSession(db: PgDb, args: { tokenHash: string }): Promise<SessionRow | undefined> {
  const [row] = await db.select().from(sessions).where(eq(sessions.tokenHash, args.tokenHash));
  return row;
}

export async function deleteSession(db: PgDb, args: { tokenHash: string }): Promise<boolean> {
  return ((await db.delete(sessions).where(eq(sessions.tokenHash, args.tokenHash))).rowCount ?? 0) > 0;
}

export async function deleteStaleSessions(db: PgDb, args: { keyFingerprint: string | null; now: Date }): Promise<number> {
  const expired = lte(sessions.expiresAt, args.now);
  const where = args.keyFingerprint === null ? undefined : or(expired, ne(sessions.keyFingerprint, args.keyFingerprint));
  return (await db.delete(sessions).where(where)).rowCount ?? 0;
}
