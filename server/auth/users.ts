/**
 * Accounts (BITNET_AUTH=accounts): who they are, how they sign in, what an admin does with them. Passwords
 * are kept only as scrypt hashes (./password-hash.ts). Conversations and presets belong to one account
 * (server/db/owned-store.ts); the first admin also gets every row written before accounts were used.
 */
import { ChatError } from "@/server/chat/chat-error";
import { newId } from "@/server/chat/ids";
import { NO_OWNER } from "@/server/db/owner";
import type { UserRow } from "@/server/db/schema";
import type { Store } from "@/server/db/store";
import { clientAddress } from "./client-address";
import { keyThrottle, type KeyThrottle } from "./key-throttle";
import { dummyHash, hashPassword, verifyPassword } from "./password-hash";

export type Role = UserRow["role"];
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}$/;
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1_000;

/** Names are matched lowercased (a name is what a person types, not a secret). */
export function normalizeUsername(name: string): string {
  return name.trim().toLowerCase();
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new ChatError("invalid", `The password must be at least ${MIN_PASSWORD_LENGTH} characters`, "password");
  if (password.length > MAX_PASSWORD_LENGTH) throw new ChatError("invalid", `The password must be at most ${MAX_PASSWORD_LENGTH} characters`, "password");
}

function isActiveAdmin(user: UserRow): boolean {
  return user.role === "admin" && !user.disabled;
}

/**
 * Creates an account. The first admin receives the conversations and presets written without accounts
 * (everything there was before BITNET_AUTH=accounts).
 */
export async function createUser(store: Store, args: { name: string; password: string; role: Role; now?: Date }): Promise<UserRow> {
  const name = normalizeUsername(args.name);
  if (!USERNAME_PATTERN.test(name)) throw new ChatError("invalid", "A user name is 1–32 letters, digits, '.', '_' or '-', starting with a letter or digit", "name");
  checkPassword(args.password);
  const passwordHash = await hashPassword(args.password);
  return store.transaction(async (tx) => {
    if (await tx.users.getUserByName({ name })) throw new ChatError("conflict", `There is already a user named ${name}`, "name");
    const firstAdmin = args.role === "admin" && !(await tx.users.listUsers()).some((user) => user.role === "admin");
    const user = await tx.users.insertUser({ user: { id: newId(), name, passwordHash, role: args.role, disabled: false, createdAt: args.now ?? new Date() } });
    if (firstAdmin) await tx.users.moveOwnedRows({ from: NO_OWNER, to: user.id });
    return user;
  });
}

/**
 * At start with accounts: rows written meanwhile without accounts (the server ran in single-key or open mode)
 * go to the first admin, as at its creation. How many rows moved (0 when there is no admin yet).
 */
export async function giveUnownedToFirstAdmin(store: Store): Promise<number> {
  const admin = (await store.users.listUsers()).find((user) => user.role === "admin");
  return admin ? store.users.moveOwnedRows({ from: NO_OWNER, to: admin.id }) : 0;
}

/**
 * Checks a name and password in the client address's throttle line (./key-throttle.ts): an unknown name, a
 * wrong password and a disabled account all cost the same scrypt run and the same growing delay, and give
 * the same null. May throw TooManyAttemptsError.
 */
export async function authenticate(
  store: Store,
  headers: Headers,
  args: { name: string; password: string },
  throttle: KeyThrottle = keyThrottle(),
): Promise<UserRow | null> {
  let signedIn: UserRow | null = null;
  await throttle.check(clientAddress(headers), async () => {
    const name = normalizeUsername(args.name);
    const user = USERNAME_PATTERN.test(name) ? await store.users.getUserByName({ name }) : undefined;
    const matches = await verifyPassword(args.password, user?.passwordHash ?? (await dummyHash()));
    signedIn = matches && user && !user.disabled ? user : null;
    return signedIn !== null;
  });
  return signedIn;
}

async function existingUser(store: Store, id: string): Promise<UserRow> {
  const user = await store.users.getUserById({ id });
  if (!user) throw new ChatError("not_found", "User not found", "id");
  return user;
}

/** Refuses a change that would leave no active admin to manage the others. */
async function keepAnAdmin(store: Store, changed: UserRow, after: Partial<UserRow> | null): Promise<void> {
  if (!isActiveAdmin(changed) || (after !== null && isActiveAdmin({ ...changed, ...after }))) return;
  const others = (await store.users.listUsers()).filter((user) => user.id !== changed.id && isActiveAdmin(user));
  if (others.length === 0) throw new ChatError("conflict", "This is the last active admin: make another user admin first", "id");
}

/** Disabling ends the account's sessions at once (and `sessionUser` refuses it at its next request anyway). */
export async function updateUser(store: Store, args: { id: string; role?: Role; disabled?: boolean; password?: string }): Promise<UserRow> {
  if (args.password !== undefined) checkPassword(args.password);
  const passwordHash = args.password === undefined ? undefined : await hashPassword(args.password);
  return store.transaction(async (tx) => {
    const user = await existingUser(tx, args.id);
    const patch = { ...(args.role !== undefined && { role: args.role }), ...(args.disabled !== undefined && { disabled: args.disabled }), ...(passwordHash && { passwordHash }) };
    await keepAnAdmin(tx, user, patch);
    await tx.users.updateUser({ id: args.id, patch });
    if (args.disabled === true || passwordHash !== undefined) await tx.users.deleteUserSessions({ userId: args.id });
    return existingUser(tx, args.id);
  });
}

/** Deletes an account with its conversations and presets, or gives them to `keepDataFor` (an admin). */
export async function deleteUser(store: Store, args: { id: string; keepDataFor?: string }): Promise<void> {
  await store.transaction(async (tx) => {
    const user = await existingUser(tx, args.id);
    await keepAnAdmin(tx, user, null);
    if (args.keepDataFor !== undefined && args.keepDataFor !== args.id) {
      await existingUser(tx, args.keepDataFor);
      await tx.users.moveOwnedRows({ from: args.id, to: args.keepDataFor });
    }
    await tx.users.deleteOwnedRows({ ownerId: args.id });
    await tx.users.deleteUserSessions({ userId: args.id });
    await tx.apiKeys.deleteUserApiKeys({ userId: args.id });
    await tx.users.deleteUser({ id: args.id });
  });
}
