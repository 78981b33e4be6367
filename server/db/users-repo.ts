/** Accounts (BITNET_AUTH=accounts; rules: server/auth/users.ts), one function per query. Synchronous: see ./types.ts. */
import { and, asc, eq, notInArray } from "drizzle-orm";
import { NO_OWNER } from "./owner";
import { conversations, presets, sessions, users, type UserRow } from "./schema";
import type { Db } from "./types";

export type NewUserRow = Omit<UserRow, "seq">;
export type UserPatch = Partial<Pick<UserRow, "passwordHash" | "role" | "disabled">>;

export function insertUser(db: Db, args: { user: NewUserRow }): UserRow {
  return db.insert(users).values(args.user).returning().get();
}

export function getUserById(db: Db, args: { id: string }): UserRow | undefined {
  return db.select().from(users).where(eq(users.id, args.id)).get();
}

export function getUserByName(db: Db, args: { name: string }): UserRow | undefined {
  return db.select().from(users).where(eq(users.name, args.name)).get();
}

/** In creation order: the first admin is the first admin row. */
export function listUsers(db: Db): UserRow[] {
  return db.select().from(users).orderBy(asc(users.seq)).all();
}

export function updateUser(db: Db, args: { id: string; patch: UserPatch }): boolean {
  return db.update(users).set(args.patch).where(eq(users.id, args.id)).run().changes > 0;
}

/** The account only: its conversations and presets are moved or deleted first (server/auth/users.ts). */
export function deleteUser(db: Db, args: { id: string }): boolean {
  return db.delete(users).where(eq(users.id, args.id)).run().changes > 0;
}

/** Ends every session of the account (disabled, deleted, password reset). */
export function deleteUserSessions(db: Db, args: { userId: string }): number {
  return db.delete(sessions).where(eq(sessions.userId, args.userId)).run().changes;
}

/**
 * Moves the conversations and presets of `from` (NO_OWNER: those written without accounts) to `to`. A preset
 * whose name `to` already uses stays where it was (names are unique per account). How many rows moved.
 */
export function moveOwnedRows(db: Db, args: { from: string; to: string }): number {
  const moved = db.update(conversations).set({ ownerId: args.to }).where(eq(conversations.ownerId, args.from)).run().changes;
  const taken = db.select({ name: presets.name }).from(presets).where(eq(presets.ownerId, args.to));
  return moved + db.update(presets).set({ ownerId: args.to }).where(and(eq(presets.ownerId, args.from), notInArray(presets.name, taken))).run().changes;
}

/** Deletes the conversations (their messages and token records cascade) and presets of an account. */
export function deleteOwnedRows(db: Db, args: { ownerId: string }): number {
  if (args.ownerId === NO_OWNER) throw new Error("deleteOwnedRows needs an account id");
  return (
    db.delete(conversations).where(eq(conversations.ownerId, args.ownerId)).run().changes +
    db.delete(presets).where(eq(presets.ownerId, args.ownerId)).run().changes
  );
}
