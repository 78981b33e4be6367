/** Every comparison with the access key — sign-in, `Authorization: Bearer` on /api and /v1 — goes through here. */
import { clientAddress } from "./client-address";
import { keyThrottle, type KeyThrottle } from "./key-throttle";
import { sameSecret } from "./same-secret";

/** Whether `given` is the key, after the caller's address has waited its turn (throws TooManyAttemptsError). */
export function checkKey(headers: Headers, given: string, apiKey: string, throttle: KeyThrottle = keyThrottle()): Promise<boolean> {
  return throttle.check(clientAddress(headers), () => sameSecret(given, apiKey));
}

/** The key of an `Authorization: Bearer <key>` header, or null when there is none. */
export function bearerKey(headers: Headers): string | null {
  const match = /^Bearer\s+(.+)$/i.exec((headers.get("authorization") ?? "").trim());
  return match ? match[1]!.trim() : null;
}
