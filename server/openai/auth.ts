/**
 * Optional bearer-key protection for `/v1/*`: when `BITNET_API_KEY` is set, every request must send
 * `Authorization: Bearer <key>` (what the official clients do with `apiKey`). The comparison waits in the
 * caller's address line like every other key check (server/auth/key-throttle.ts).
 */
import { authModeFromEnv } from "@/server/auth/auth-mode";
import { bearerKey, checkKey } from "@/server/auth/check-key";
import { isTooManyAttempts, type KeyThrottle } from "@/server/auth/key-throttle";
import { OpenAIApiError } from "./errors";

/** Throws a 401 in OpenAI's shape when a key is configured and the request does not carry it (429 when its address has too many attempts waiting). */
export async function checkApiKey(headers: Headers, expectedKey: string | undefined = process.env.BITNET_API_KEY, throttle?: KeyThrottle): Promise<void> {
  if (authModeFromEnv() === "accounts") {
    // Accounts have no API keys yet: /v1 is closed rather than open to anyone (BITNET_API_KEY is not used then).
    throw new OpenAIApiError(401, "invalid_request_error", "This server uses accounts (BITNET_AUTH=accounts), which have no API keys yet: /v1 is closed.", null, "invalid_api_key");
  }
  if (!expectedKey) return;
  const given = bearerKey(headers);
  if (given === null) {
    throw new OpenAIApiError(
      401,
      "invalid_request_error",
      "You didn't provide an API key. Send it in the Authorization header as 'Bearer <key>' (the server's BITNET_API_KEY).",
      null,
      "invalid_api_key",
    );
  }
  let correct: boolean;
  try {
    correct = await checkKey(headers, given, expectedKey, throttle);
  } catch (error) {
    if (isTooManyAttempts(error)) throw new OpenAIApiError(429, "rate_limit_error", error.message, null, "too_many_attempts", error.retryAfterS);
    throw error;
  }
  if (!correct) throw new OpenAIApiError(401, "invalid_request_error", "Incorrect API key provided.", null, "invalid_api_key");
}
