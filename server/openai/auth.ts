/**
 * Optional bearer-key protection for `/v1/*`: when `BITNET_API_KEY` is set, every request must send
 * `Authorization: Bearer <key>` (what the official clients do with `apiKey`).
 */
import { sameSecret } from "@/server/http/session-auth";
import { OpenAIApiError } from "./errors";

/** Throws a 401 in OpenAI's shape when a key is configured and the request does not carry it. */
export function checkApiKey(headers: Headers, expectedKey: string | undefined = process.env.BITNET_API_KEY): void {
  if (!expectedKey) return;
  const header = headers.get("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) {
    throw new OpenAIApiError(
      401,
      "invalid_request_error",
      "You didn't provide an API key. Send it in the Authorization header as 'Bearer <key>' (the server's BITNET_API_KEY).",
      null,
      "invalid_api_key",
    );
  }
  if (!sameSecret(match[1]!.trim(), expectedKey)) {
    throw new OpenAIApiError(401, "invalid_request_error", "Incorrect API key provided.", null, "invalid_api_key");
  }
}
