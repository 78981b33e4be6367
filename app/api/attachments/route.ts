import { ATTACHMENT_LIMITS } from "@/lib/attachments";
import { RequestError } from "@/lib/api/request-error";
import { extractAttachment } from "@/server/files/extract-text";
import { FileRejected } from "@/server/files/file-rejected";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { readBodyBytes } from "@/server/http/read-json";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const CODES = { 400: "invalid_request", 413: "payload_too_large", 415: "unsupported_media_type" } as const;

/**
 * `POST /api/attachments?name=<file name>`, the file's bytes as the body (its type in Content-Type):
 * 200 with its text and token count, read here and stored nowhere (the question that attaches it stores it).
 * 4xx naming `name` or `file` for a file that is too big, not text, or unreadable.
 */
export const POST = withErrors(async (request: Request) => {
  const name = new URL(request.url).searchParams.get("name")?.trim() ?? "";
  if (!name) throw new RequestError(400, "invalid_request", "name is required: the file's name, as ?name=…", "name");
  if (name.length > ATTACHMENT_LIMITS.name) {
    throw new RequestError(400, "invalid_request", `name must be at most ${ATTACHMENT_LIMITS.name} characters`, "name");
  }
  let bytes: Buffer;
  try {
    bytes = await readBodyBytes(request, ATTACHMENT_LIMITS.bytes);
  } catch (error) {
    if (error instanceof RequestError && error.status === 413) {
      throw new RequestError(413, "payload_too_large", `${name} is larger than ${ATTACHMENT_LIMITS.bytes} bytes, the most a file may have`, "file");
    }
    throw error;
  }
  try {
    return jsonResponse(await extractAttachment({ name, mediaType: request.headers.get("content-type") ?? "", bytes }));
  } catch (error) {
    if (error instanceof FileRejected) throw new RequestError(error.status, CODES[error.status], error.message, "file");
    throw error;
  }
});
