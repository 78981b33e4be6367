import { z } from "zod";

/** Body of `POST /api/session`: the server's BITNET_API_KEY, exchanged for a session cookie. */
export const signInSchema = z.object({
  key: z.string({ error: "key must be a string" }).min(1, "key must not be empty").max(1_000, "key must be at most 1000 characters"),
});
export type SignInRequest = z.infer<typeof signInSchema>;

/** `GET /api/session`: whether this server asks for an access key (the UI then offers "Sign out"). */
export const sessionInfoSchema = z.object({ accessKey: z.boolean() });
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
