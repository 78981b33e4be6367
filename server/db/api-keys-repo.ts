/** Accounts' `/v1` keys (rules: server/auth/api-keys.ts), one function per query. Synchronous: see ./types.ts. */
import { and, asc, eq } from "drizzle-orm";
import { apiKeys, type ApiKeyRow } from "./schema";
import type { Db } from "./types";

export function insertApiKey(db: Db, args: { key: Omit<ApiKeyRow, "seq"> }): ApiKeyRow {
  return db.insert(apiKeys).values(args.key).returning().get();
}

export function getApiKeyByHash(db: Db, args: { keyHash: string }): ApiKeyRow | undefined {
  return db.select().from(apiKeys).where(eq(apiKeys.keyHash, args.keyHash)).get();
}

/** In creation order. */
export function listApiKeys(db: Db, args: { userId: string }): ApiKeyRow[] {
  return db.select().from(apiKeys).where(eq(apiKeys.userId, args.userId)).orderBy(asc(apiKeys.seq)).all();
}

/** Revokes one of the account's keys; false when it has none with that id. */
export function deleteApiKey(db: Db, args: { id: string; userId: string }): boolean {
  return db.delete(apiKeys).where(and(eq(apiKeys.id, args.id), eq(apiKeys.userId, args.userId))).run().changes > 0;
}

export function deleteUserApiKeys(db: Db, args: { userId: string }): number {
  return db.delete(apiKeys).where(eq(apiKeys.userId, args.userId)).run().changes;
}
