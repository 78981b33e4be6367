/** Accounts' `/v1` keys on PostgreSQL: the same functions as ../api-keys-repo.ts. */
import { and, asc, eq } from "drizzle-orm";
import type { ApiKeyRow } from "../schema";
import { apiKeys } from "./schema";
import type { PgDb } from "./types";

export async function insertApiKey(db: PgDb, args: { key: Omit<ApiKeyRow, "seq"> }): Promise<ApiKeyRow> {
  const [row] = await db.insert(apiKeys).values(args.key).returning();
  return row!;
}

export async function getApiKeyByHash(db: PgDb, args: { keyHash: string }): Promise<ApiKeyRow | undefined> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, args.keyHash));
  return row;
}

export function listApiKeys(db: PgDb, args: { userId: string }): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.userId, args.userId)).orderBy(asc(apiKeys.seq));
}

export async function deleteApiKey(db: PgDb, args: { id: string; userId: string }): Promise<boolean> {
  return ((await db.delete(apiKeys).where(and(eq(apiKeys.id, args.id), eq(apiKeys.userId, args.userId)))).rowCount ?? 0) > 0;
}

export async function deleteUserApiKeys(db: PgDb, args: { userId: string }): Promise<number> {
  return (await db.delete(apiKeys).where(eq(apiKeys.userId, args.userId))).rowCount ?? 0;
}
