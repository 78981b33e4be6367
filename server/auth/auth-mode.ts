/**
 * Who may use the app: nobody needs to sign in ("open", the one-person default on loopback), everyone signs
 * in with the one BITNET_API_KEY ("key"), or each person with their own account (`BITNET_AUTH=accounts`:
 * server/auth/users.ts). In "accounts" mode BITNET_API_KEY is not used.
 */
export type AuthMode = "open" | "key" | "accounts";

export function authModeFromEnv(env: Record<string, string | undefined> = process.env): AuthMode {
  const auth = env.BITNET_AUTH?.trim() ?? "";
  if (auth === "accounts") return "accounts";
  if (auth !== "") throw new Error(`BITNET_AUTH must be "accounts" or unset (got "${auth}").`);
  return env.BITNET_API_KEY ? "key" : "open";
}
