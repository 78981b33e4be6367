/**
 * Accounts' keys for `/v1` (BITNET_AUTH=accounts): made and revoked by their account in the UI, shown once.
 * A key is 256 random bits, so the database keeps only its sha256 (as for session tokens: no salt or slow
 * hash needed). A key works while it exists and its account exists and is not disabled; checks wait in the
 * address's throttle line like every other key check.
 */
import { createHash, randomBytes } from "node:crypto";
import { newId } from "@/server/chat/ids";
import type { ApiKeyRow, UserRow } from "@/server/db/schema";
import type { Store } from "@/server/db/store";
import { clientAddress } from "./client-address";
import { keyThrottle, type KeyThrottle } from "./key-throttle";

const PREFIX = "bnk_";

function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("base64url");
}

/** A new key for the account: the only time its text exists outside the caller. */
export async function createApiKey(store: Store, args: { userId: string; name: string; now?: Date }): Promise<{ key: string; row: ApiKeyRow }> {
  const key = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await store.apiKeys.insertApiKey({ key: { id: newId(), userId: args.userId, name: args.name, keyHash: hashApiKey(key), createdAt: args.now ?? new Date() } });
  return { key, row };
}

/** The account a bearer key belongs to, or null; waits in the address's line (may throw TooManyAttemptsError). */
export async function apiKeyUser(store: Store, headers: Headers, given: string, throttle: KeyThrottle = keyThrottle()): Promise<UserRow | null> {
  let owner: UserRow | null = null;
  await throttle.check(clientAddress(headers), async () => {
    const row = await store.apiKeys.getApiKeyByHash({ keyHash: hashApiKey(given) });
    const user = row ? await store.users.getUserById({ id: row.userId }) : undefined;
    owner = user && !user.disabled ? user : null;
    return owner !== null;
  });
  return owner;
}
