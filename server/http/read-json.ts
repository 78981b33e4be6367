import { RequestError } from "@/lib/api/request-error";

export const DEFAULT_MAX_BODY_BYTES = 1_000_000;

function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const mime = value.split(";")[0].trim().toLowerCase();
  return mime === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mime);
}

/** Reads at most `maxBytes`, so a huge body is refused without being buffered whole. */
async function readLimited(request: Request, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readBodyBytes(request, maxBytes));
}

/** The body's bytes, at most `maxBytes` (413 beyond, without buffering the rest; 400 when the client hangs up). */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The client hung up mid-upload (or the body timed out): an abort, not a server error.
      console.info(`[api] ${request.method} ${new URL(request.url).pathname}: the client closed the connection while sending the body`);
      throw new RequestError(400, "invalid_request", "The request body was cut off before it was complete");
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RequestError(400, "invalid_json", `Malformed JSON: ${(error as Error).message}`);
  }
  const field = loneSurrogateField(value);
  if (field !== null) {
    throw new RequestError(
      400,
      "invalid_request",
      `${field || "the body"} contains an unpaired surrogate escape (like "\\ud800"), which is not text: send valid Unicode`,
      field || undefined,
    );
  }
  return value;
}

/**
 * The dotted path of the first string (or key) holding a lone UTF-16 surrogate, "" for the body itself,
 * null when there is none. JSON allows `"\ud800"`, but SQLite would store it as three U+FFFD.
 */
export function loneSurrogateField(value: unknown, path = ""): string | null {
  if (typeof value === "string") return value.isWellFormed() ? null : path;
  if (value === null || typeof value !== "object") return null;
  for (const [key, item] of Object.entries(value)) {
    const here = path === "" ? key : `${path}.${key}`;
    if (!key.isWellFormed()) return here;
    const found = loneSurrogateField(item, here);
    if (found !== null) return found;
  }
  return null;
}
