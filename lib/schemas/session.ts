import { z } from "zod";

/** Body of `POST /api/session`: the server's BITNET_API_KEY, exchanged for a session cookie. */
export const signInSchema = z.object({
  key: z.string({ error: "key must be a string" }).min(1, "key must not be empty").max(1_000, "key must be at most 1000 characters"),
});
export type SignInRequest = z.infer<typeof signInSchema>;

/** Body of `POST /api/session` with accounts (BITNET_AUTH=accounts): an account's name and password. */
export const passwordSignInSchema = z.object({
  username: z.string({ error: "username must be a string" }).min(1, "username must not be empty").max(64, "username must be at most 64 characters"),
  password: z.string({ error: "password must be a string" }).min(1, "password must not be empty").max(1_000, "password must be at most 1000 characters"),
});
export type PasswordSignInRequest = z.infer<typeof passwordSignInSchema>;

export const userRoleSchema = z.enum(["admin", "user"]);

/**
 * `GET /api/session`: whether this server asks for an access key or for accounts (the UI then offers "Sign
 * out"), and with accounts who is signed in (null when nobody is).
 */
export const sessionInfoSchema = z.object({
  accessKey: z.boolean(),
  accounts: z.boolean(),
  user: z.object({ id: z.string(), name: z.string(), role: userRoleSchema }).nullable(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
