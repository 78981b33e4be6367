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
  await checkParsedBody(value);
  return value;
}

/**
 * Objects and arrays inside one another, at most. The API's deepest shapes (a bundle's conversation's
 * message's stats, a /v1 tool's JSON schema) are far shallower; `JSON.parse` takes any depth, but every
 * recursive walk after it (validation, serialisation) would overflow the stack on thousands of levels.
 */
export const MAX_JSON_DEPTH = 64;

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | null;
  depth: number;
}

/** "a.b.0.c": built only for the error (a 20 MB import has a million values; their paths cost more than the walk). */
function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let v: Visit | null = visit; v && v.parent; v = v.parent) keys.push(v.key);
  return keys.reverse().join(".");
}

/** Values checked between two looks at the clock. */
const CLOCK_EVERY = 4096;
/** How long the walk runs before giving the event loop a turn (a 20 MB import takes ~250 ms in all). */
const SLICE_MS = 5;

/**
 * One iterative pass over the parsed body (no recursion to overflow), depth first in document order:
 * 400 for the first value nested deeper than MAX_JSON_DEPTH, or the first string or key holding a lone
 * UTF-16 surrogate (JSON allows `"\ud800"`, but SQLite would store it as three U+FFFD). Errors name the
 * dotted path ("the body" for the body itself). Gives the event loop a turn every SLICE_MS.
 */
export async function checkParsedBody(body: unknown): Promise<void> {
  const stack: Visit[] = [{ value: body, key: "", parent: null, depth: 0 }];
  let since = performance.now();
  for (let n = 1; stack.length > 0; n++) {
    if (n % CLOCK_EVERY === 0 && performance.now() - since > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
    const visit = stack.pop()!;
    const { value, key, depth } = visit;
    if (depth > MAX_JSON_DEPTH) {
      const path = pathOf(visit);
      throw new RequestError(400, "invalid_json", `${path} is nested more than ${MAX_JSON_DEPTH} levels deep`, path);
    }
    if ((depth > 0 && !key.isWellFormed()) || (typeof value === "string" && !value.isWellFormed())) {
      const path = pathOf(visit);
      throw new RequestError(
        400,
        "invalid_request",
        `${path || "the body"} contains an unpaired surrogate escape (like "\\ud800"), which is not text: send valid Unicode`,
        path || undefined,
      );
    }
    if (value === null || typeof value !== "object") continue;
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const childKey = keys[i]!;
      stack.push({ value: (value as Record<string, unknown>)[childKey], key: childKey, parent: visit, depth: depth + 1 });
    }
  }
}
