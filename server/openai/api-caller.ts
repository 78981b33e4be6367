/**
 * Who is calling `/v1`, as far as the KV cache is concerned: the credentials they sent plus OpenAI's `user`
 * field. Requests with another key (or `user`) never reuse each other's cached prompt, so
 * `usage.prompt_tokens_details.cached_tokens` cannot be used to test guesses of another caller's prompt.
 * Callers sending no credentials at all share the "anonymous" identity; with BITNET_API_KEY set, every
 * caller is one of the key's holders.
 */
import { createHash } from "node:crypto";

export function apiCallerCacheKey(headers: Headers, user: string | null | undefined): string {
  const credentials = headers.get("authorization") ?? "anonymous";
  const digest = createHash("sha256").update(credentials).update("\0").update(user ?? "").digest("base64url");
  return `api:${digest}`;
}
