/** Sessions on both dialects: valid while they exist, have not expired and belong to the current key; stored hashed. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dialects, type OpenedStore } from "@/server/db/testing/dialects";
import { hashSessionToken, keyFingerprint } from "./session-tokens";
import { closeSession, deleteStaleSessions, isValidSession, openSession, SESSION_LIFETIME_MS } from "./sessions";

describe.each(dialects("sessions"))("sessions on $name", (dialect) => {
  let opened: OpenedStore;
  beforeAll(() => dialect.setUp());
  afterAll(() => dialect.tearDown());
  beforeEach(async () => {
    opened = await dialect.open();
  });
  afterEach(() => opened.dispose());

  const KEY = "correct horse battery staple";
  const t0 = new Date(Date.UTC(2026, 0, 1));
  const later = (ms: number) => new Date(t0.getTime() + ms);

  it("opens a random session that lasts 30 days, and stores only the token's sha256 and a fingerprint of the key", async () => {
    const a = await openSession(opened.store, KEY, t0);
    const b = await openSession(opened.store, KEY, t0);
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.expiresAt).toEqual(later(30 * 24 * 3600 * 1000));
    const row = await opened.store.sessions.getSession({ tokenHash: hashSessionToken(a.token) });
    expect(row).toEqual({ tokenHash: hashSessionToken(a.token), keyFingerprint: keyFingerprint(KEY), userId: null, createdAt: t0, expiresAt: a.expiresAt });
    expect(JSON.stringify(row)).not.toContain(a.token);
    expect(JSON.stringify(row)).not.toContain(KEY);
    expect(await isValidSession(opened.store, a.token, KEY, t0)).toBe(true);
    expect(await isValidSession(opened.store, b.token, KEY, t0)).toBe(true);
  });

  it("is not valid after sign-out, after its lifetime, under another key, or for a made-up token", async () => {
    const { token } = await openSession(opened.store, KEY, t0);
    const other = await openSession(opened.store, KEY, t0);
    expect(await isValidSession(opened.store, token, KEY, later(SESSION_LIFETIME_MS - 1))).toBe(true);
    expect(await isValidSession(opened.store, token, KEY, later(SESSION_LIFETIME_MS))).toBe(false);
    expect(await isValidSession(opened.store, token, "a new key", t0)).toBe(false);
    expect(await isValidSession(opened.store, "made-up", KEY, t0)).toBe(false);
    expect(await isValidSession(opened.store, "", KEY, t0)).toBe(false);
    await closeSession(opened.store, token);
    expect(await isValidSession(opened.store, token, KEY, t0)).toBe(false);
    expect(await isValidSession(opened.store, other.token, KEY, t0)).toBe(true);
  });

  it("deletes the sessions of another key and the expired ones (at start, and on each sign-in)", async () => {
    const old = await openSession(opened.store, "the old key", t0);
    const current = await openSession(opened.store, KEY, t0); // a sign-in under the new key sweeps the old key's sessions
    expect(await opened.store.sessions.getSession({ tokenHash: hashSessionToken(old.token) })).toBeUndefined();
    const young = await openSession(opened.store, KEY, later(SESSION_LIFETIME_MS / 2));
    expect(await deleteStaleSessions(opened.store, KEY, later(SESSION_LIFETIME_MS))).toBe(1);
    expect(await isValidSession(opened.store, young.token, KEY, later(SESSION_LIFETIME_MS))).toBe(true);
    expect(await opened.store.sessions.getSession({ tokenHash: hashSessionToken(current.token) })).toBeUndefined();
    // Started without a key: no session is kept (setting a key again later must not bring them back).
    expect(await deleteStaleSessions(opened.store, undefined, t0)).toBe(1);
    expect(await opened.store.sessions.getSession({ tokenHash: hashSessionToken(young.token) })).toBeUndefined();
  });
});
