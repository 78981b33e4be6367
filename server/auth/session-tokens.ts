/**
 * What a session is made of: a random token (the cookie's value), its sha256 (what the database keeps) and a
 * one-way fingerprint of the access key it was opened with (what tells that the key has changed since).
 */
import { createHash, randomBytes, scryptSync } from "node:crypto";

/** 256 random bits, base64url: unguessable, so a plain sha256 is enough to store it (no salt, no slow hash). */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

const fingerprints = new Map<string, string>();

/**
 * scrypt rather than a plain hash: the fingerprint sits in the database next to the conversations, and a
 * short key must not be recoverable from it at hash speed. Computed once per key and process (≈ 50 ms).
 */
export function keyFingerprint(apiKey: string): string {
  let fingerprint = fingerprints.get(apiKey);
  if (fingerprint === undefined) {
    fingerprint = scryptSync(apiKey, "bitnet-chat access key fingerprint v1", 32).toString("base64url");
    fingerprints.clear(); // only the current key is ever asked for
    fingerprints.set(apiKey, fingerprint);
  }
  return fingerprint;
}
