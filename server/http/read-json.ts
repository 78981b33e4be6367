import { RequestError } from "@/lib/api/request-error";

export const DEFAULT_MAX_BODY_BYTES = 1_000_000;

function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const mime = value.split(";")[0].trim().toLowerCase();
  return mime === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mime);
}

/** Reads at most `maxBytes`, so a huge body is refused without being buffered whole. */
async function readLimited(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function tooLarge(maxBytes: number): RequestError {
  return new RequestError(413, "payload_too_large", `The request body must be at most ${maxBytes} bytes`);
}

/** The parsed JSON body, or a 415 / 413 / 400 RequestError. */
export async function readJsonBody(request: Request, options: { maxBytes?: number } = {}): Promise<unknown> {
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new RequestError(415, "unsupported_media_type", "Content-Type must be application/json");
  }
  const text = await readLimited(request, options.maxBytes ?? DEFAULT_MAX_BODY_BYTES);
  if (text.trim() === "") throw new RequestError(400, "invalid_json", "The request body is empty; expected a JSON object");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RequestError(400, "invalid_json", `Malformed JSON: ${(error as Error).message}`);
  }
}
