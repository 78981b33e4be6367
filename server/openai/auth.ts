/**
 * Optional bearer-key protection for `/v1/*`: when `BITNET_API_KEY` is set, every request must send
 * `Authorization: Bearer <key>` (what the official clients do with `apiKey`); with BITNET_AUTH=accounts, the
 * key is one of an account's own (server/auth/api-keys.ts). The comparison waits in the
 * caller's address line like every other key check (server/auth/key-throttle.ts).
 */
import { authModeFromEnv } from "@/server/auth/auth-mode";
import { apiKeyUser } from "@/server/auth/api-keys";
import { bearerKey, checkKey } from "@/server/auth/check-key";
import { getDb } from "@/server/db/connection";
import type { UserRow } from "@/server/db/schema";
import { isTooManyAttempts, type KeyThrottle } from "@/server/auth/key-throttle";
import { OpenAIApiError } from "./errors";

/**
 * Throws a 401 in OpenAI's shape when a key is configured and the request does not carry it (429 when its
 * address has too many attempts waiting). With accounts, resolves with the account the key belongs to (else undefined).
 */
export async function checkApiKey(headers: Headers, expectedKey: string | undefined = process.env.BITNET_API_KEY, throttle?: KeyThrottle): Promise<UserRow | undefined> {
  const accounts = authModeFromEnv() === "accounts";
  if (!accounts && !expectedKey) return undefined;
  const given = bearerKey(headers);
  if (given === null) {
    throw new OpenAIApiError(
      401,
      "invalid_request_error",
      "You didn't provide an API key. Send it in the Authorization header as 'Bearer <key>' (the server's BITNET_API_KEY, or with accounts one of your API keys).",
      null,
      "invalid_api_key",
    );
  }
  let correct: boolean;
  let account: UserRow | undefined;
  try {
    // With accounts, one of an account's own keys (BITNET_API_KEY is not used then).
    if (accounts) account = (await apiKeyUser(getDb(), headers, given, throttle)) ?? undefined;
    correct = accounts ? account !== undefined : await checkKey(headers, given, expectedKey!, throttle);
  } catch (error) {
    if (isTooManyAttempts(error)) throw new OpenAIApiError(429, "rate_limit_error", error.message, null, "too_many_attempts", error.retryAfterS);
    throw error;
  }
  if (!correct) throw new OpenAIApiError(401, "invalid_request_error", "Incorrect API key provided.", null, "invalid_api_key");
  return account;
}
