/**
 * server/auth/ — who may use the app when BITNET_API_KEY is set: server-side sessions (this file), the
 * per-address throttle every key check goes through (key-throttle.ts, check-key.ts) and the client address
 * it counts by (client-address.ts).
 *
 * A session is a random token in an HttpOnly cookie; the database keeps its sha256, when it expires and a
 * fingerprint of the key it was opened with. It is valid while it exists, has not expired and was opened
 * under the current key: signing out deletes it, and changing the key invalidates every session at once
 * (and the next start deletes them).
 */
import type { UserRow } from "@/server/db/schema";
import type { Store } from "@/server/db/store";
import { hashSessionToken, keyFingerprint, newSessionToken } from "./session-tokens";

/** 30 days from sign-in, not extended by use: a personal or small-team server, not a bank. */
export const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;

export interface OpenedSession {
  token: string;
  expiresAt: Date;
}

/** Opens a session for someone who just gave the right key; expired ones are swept out on the way. */
export async function openSession(store: Store, apiKey: string, now = new Date()): Promise<OpenedSession> {
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  const fingerprint = keyFingerprint(apiKey);
  await store.sessions.deleteStaleSessions({ keyFingerprint: fingerprint, now });
  await store.sessions.insertSession({
    session: { tokenHash: hashSessionToken(token), keyFingerprint: fingerprint, userId: null, createdAt: now, expiresAt },
  });
  return { token, expiresAt };
}

/** Whether the cookie's token names a live session of the current key. */
export async function isValidSession(store: Store, token: string, apiKey: string, now = new Date()): Promise<boolean> {
  if (token === "") return false;
  const session = await store.sessions.getSession({ tokenHash: hashSessionToken(token) });
  return session !== undefined && session.expiresAt.getTime() > now.getTime() && session.keyFingerprint === keyFingerprint(apiKey);
}

/** Sign-out: the token stops working everywhere, even where the cookie was copied to. */
export async function closeSession(store: Store, token: string): Promise<void> {
  if (token !== "") await store.sessions.deleteSession({ tokenHash: hashSessionToken(token) });
}

/**
 * At start: deletes the sessions of any other key (all of them when no key is set) and the expired ones. With
 * accounts, the sessions opened by the access key (or under another mode) go, and the accounts' stay.
 */
export function deleteStaleSessions(store: Store, apiKey: string | undefined, now = new Date(), accounts = false): Promise<number> {
  const fingerprint = accounts ? ACCOUNTS_FINGERPRINT : apiKey ? keyFingerprint(apiKey) : null;
  return store.sessions.deleteStaleSessions({ keyFingerprint: fingerprint, now });
}

/**
 * What account sessions (BITNET_AUTH=accounts) carry in place of a key fingerprint: no key fingerprint (43
 * base64url characters of scrypt output) can equal it, so switching between the modes ends the other's sessions.
 */
export const ACCOUNTS_FINGERPRINT = "accounts";

/** Opens a session for an account that just gave its password. */
export async function openUserSession(store: Store, userId: string, now = new Date()): Promise<OpenedSession> {
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await store.sessions.deleteStaleSessions({ keyFingerprint: ACCOUNTS_FINGERPRINT, now });
  await store.sessions.insertSession({
    session: { tokenHash: hashSessionToken(token), keyFingerprint: ACCOUNTS_FINGERPRINT, userId, createdAt: now, expiresAt },
  });
  return { token, expiresAt };
}

/**
 * The account a cookie's token signs in: a live account session whose account exists and is not disabled. Read
 * at every request, so disabling or deleting an account ends its sessions at their next request.
 */
export async function sessionUser(store: Store, token: string, now = new Date()): Promise<UserRow | undefined> {
  if (token === "") return undefined;
  const session = await store.sessions.getSession({ tokenHash: hashSessionToken(token) });
  if (!session || session.expiresAt.getTime() <= now.getTime() || session.keyFingerprint !== ACCOUNTS_FINGERPRINT || session.userId === null) return undefined;
  const user = await store.users.getUserById({ id: session.userId });
  return user && !user.disabled ? user : undefined;
}
