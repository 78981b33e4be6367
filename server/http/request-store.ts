/**
 * The store a route handler works on. Without accounts, the whole store (proxy.ts has already checked the
 * session or key). With BITNET_AUTH=accounts, the signed-in account's view of it (server/db/owned-store.ts),
 * looked up again here from the session cookie, so a disabled or deleted account is refused at its next
 * request even when the proxy let it through a moment before.
 */
import { RequestError } from "@/lib/api/request-error";
import { authModeFromEnv } from "@/server/auth/auth-mode";
import { getDb } from "@/server/db/connection";
import { ownedStore } from "@/server/db/owned-store";
import type { UserRow } from "@/server/db/schema";
import type { Store } from "@/server/db/store";
import { signedInUser } from "./session-auth";

const notSignedIn = () => new RequestError(401, "unauthorized", "Sign in at /sign-in first.");

/** The signed-in account (accounts mode only): 401 without one. */
export async function requestUser(request: Request, store: Store = getDb()): Promise<UserRow> {
  const user = await signedInUser(request.headers, store);
  if (!user) throw notSignedIn();
  return user;
}

export async function requestStore(request: Request): Promise<Store> {
  return (await requestScope(request)).store;
}

/** The store as above, and with accounts the account it is the view of. */
export async function requestScope(request: Request): Promise<{ store: Store; user: UserRow | null }> {
  const store = getDb();
  if (authModeFromEnv() !== "accounts") return { store, user: null };
  const user = await requestUser(request, store);
  return { store: ownedStore(store, user.id), user };
}

/** A request of a signed-in account (accounts mode only; 404 otherwise: the route does not exist then). */
export async function requestAccount(request: Request): Promise<UserRow> {
  if (authModeFromEnv() !== "accounts") throw new RequestError(404, "not_found", "This server has no user accounts (BITNET_AUTH is not accounts).");
  return requestUser(request);
}

/** An admin's request (accounts mode): 401 when not signed in, 403 for a user who is not an admin. */
export async function requestAdmin(request: Request): Promise<UserRow> {
  const user = await requestAccount(request);
  if (user.role !== "admin") throw new RequestError(403, "forbidden", "Only an admin may manage users.");
  return user;
}
