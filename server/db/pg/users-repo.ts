/** Accounts on PostgreSQL: the same functions as ../users-repo.ts. */
import { and, asc, eq, notInArray } from "drizzle-orm";
import { NO_OWNER } from "../owner";
import type { UserRow } from "../schema";
import type { NewUserRow, UserPatch } from "../users-repo";
import { conversations, presets, sessions, users } from "./schema";
import type { PgDb } from "./types";

const count = async (query: Promise<{ rowCount: number | null }>): Promise<number> => (await query).rowCount ?? 0;

export async function insertUser(db: PgDb, args: { user: NewUserRow }): Promise<UserRow> {
  const [row] = await db.insert(users).values(args.user).returning();
  return row!;
}

export async function getUserById(db: PgDb, args: { id: string }): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, args.id));
  return row;
}

export async function getUserByName(db: PgDb, args: { name: string }): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.name, args.name));
  return row;
}

export function listUsers(db: PgDb): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.seq));
}

export async function updateUser(db: PgDb, args: { id: string; patch: UserPatch }): Promise<boolean> {
  return (await count(db.update(users).set(args.patch).where(eq(users.id, args.id)))) > 0;
}

export async function deleteUser(db: PgDb, args: { id: string }): Promise<boolean> {
  return (await count(db.delete(users).where(eq(users.id, args.id)))) > 0;
}

export function deleteUserSessions(db: PgDb, args: { userId: string }): Promise<number> {
  return count(db.delete(sessions).where(eq(sessions.userId, args.userId)));
}

export async function moveOwnedRows(db: PgDb, args: { from: string; to: string }): Promise<number> {
  const moved = await count(db.update(conversations).set({ ownerId: args.to }).where(eq(conversations.ownerId, args.from)));
  const taken = db.select({ name: presets.name }).from(presets).where(eq(presets.ownerId, args.to));
  return moved + (await count(db.update(presets).set({ ownerId: args.to }).where(and(eq(presets.ownerId, args.from), notInArray(presets.name, taken)))));
}

export async function deleteOwnedRows(db: PgDb, args: { ownerId: string }): Promise<number> {
  if (args.ownerId === NO_OWNER) throw new Error("deleteOwnedRows needs an account id");
  return (await count(db.delete(conversations).where(eq(conversations.ownerId, args.ownerId)))) + (await count(db.delete(presets).where(eq(presets.ownerId, args.ownerId))));
}
