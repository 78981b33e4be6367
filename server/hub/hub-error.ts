/**
 * Errors of model acquisition, each with a stable code, what happened, and what to do about it.
 * The host turns them into the model status the UI shows; the CLI prints message + hint.
 */
import { HubApiError } from "@huggingface/hub";

export type HubErrorCode =
  | "unreachable" // no connection to the hub (offline, DNS, refused)
  | "unauthorized" // 401/403: missing, invalid or insufficient token, or a gated repo
  | "invalid_token" // HF_TOKEN is malformed
  | "not_found" // repo, revision or file does not exist
  | "checksum_mismatch" // downloaded bytes do not match the hub's sha256 / size
  | "disk_full" // not enough space in the cache folder
  | "interrupted" // the connection kept dropping mid-file
  | "aborted" // cancelled by the caller (e.g. switched to the demo model)
  | "hub_error"; // any other unexpected hub answer

export class HubError extends Error {
  constructor(
    readonly code: HubErrorCode,
    message: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "HubError";
  }
}

export interface ErrorContext {
  hubUrl: string;
  repo: string;
  revision: string;
  /** The file being fetched, if any (otherwise the failure concerns the repo/revision). */
  file?: string;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);

/** The system error code buried in an error or its `cause` chain (undici wraps them in "fetch failed"). */
export function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True for failures worth retrying (connection dropped, reset, refused mid-way). */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof HubError || error instanceof HubApiError) return false;
  const code = errorCode(error);
  if (code && NETWORK_CODES.has(code)) return true;
  // undici reports a body cut short as TypeError("terminated") and a failed connect as TypeError("fetch failed");
  // @huggingface/hub's WebBlob.stream() re-throws range-fetch failures as the bare message string.
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  return /fetch failed|terminated|other side closed|socket|ECONNRESET|network/i.test(message);
}

export function isAbortError(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  return error instanceof Error && (error.name === "AbortError" || errorCode(error) === "ABORT_ERR");
}

export function abortedError(): HubError {
  return new HubError("aborted", "The download was cancelled.", "Start it again to resume where it stopped.");
}

export function unreachableError(ctx: ErrorContext, cause: unknown): HubError {
  const why = errorCode(cause) ?? innermostMessage(cause);
  return new HubError(
    "unreachable",
    `Cannot reach the model hub at ${ctx.hubUrl}${why ? ` (${why})` : ""}.`,
    "Are you offline? Check your internet connection or proxy, or set HF_ENDPOINT to a reachable mirror, then retry. " +
      "You can also switch to the offline demo model.",
    { cause },
  );
}

export function notFoundError(ctx: ErrorContext, cause?: unknown): HubError {
  const what = ctx.file
    ? `The file ${ctx.file} was not found in ${ctx.repo} at revision ${ctx.revision}.`
    : `The model ${ctx.repo} (revision ${ctx.revision}) was not found on ${ctx.hubUrl}.`;
  return new HubError(
    "not_found",
    what,
    "Check the repo id in BITNET_MODEL and the revision in BITNET_REVISION (or --revision). " +
      "A private repo also answers 404 without a token: set HF_TOKEN.",
    { cause },
  );
}

export function unauthorizedError(ctx: ErrorContext, status: number, cause?: unknown): HubError {
  return new HubError(
    "unauthorized",
    `The hub refused access to ${ctx.repo} (HTTP ${status}).`,
    "Set HF_TOKEN to a Hugging Face access token (hf_…) with read access; for a gated model, accept its " +
      "license on the model page first. If HF_TOKEN is set, check that it is valid and not expired.",
    { cause },
  );
}

export function diskFullError(dir: string, neededBytes: number | undefined, cause?: unknown): HubError {
  const amount = neededBytes ? `about ${formatGb(neededBytes)}` : "some space";
  return new HubError(
    "disk_full",
    `The disk is full: not enough space in ${dir} for the download.`,
    `Free ${amount} there, or set HF_HUB_CACHE (or HF_HOME) to a folder on a disk with more space, then retry.`,
    { cause },
  );
}

/** "1.3 GB", rounded up to a tenth so "free N GB" is always enough. */
export function formatGb(bytes: number): string {
  return `${Math.max(0.1, Math.ceil((bytes / 1e9) * 10) / 10)} GB`;
}

/** Maps whatever a hub call threw to a HubError with a message and a hint. */
export function toHubError(error: unknown, ctx: ErrorContext, signal?: AbortSignal): HubError {
  if (error instanceof HubError) return error;
  if (isAbortError(error, signal)) return abortedError();
  if (errorCode(error) === "ENOSPC") return diskFullError("the cache folder", undefined, error);
  if (error instanceof HubApiError) {
    if (error.statusCode === 401 || error.statusCode === 403) return unauthorizedError(ctx, error.statusCode, error);
    if (error.statusCode === 404) return notFoundError(ctx, error);
    return new HubError(
      "hub_error",
      `The hub answered HTTP ${error.statusCode} for ${ctx.file ?? ctx.repo}: ${firstLine(error.message)}`,
      "This is usually temporary: retry in a few minutes.",
      { cause: error },
    );
  }
  if (error instanceof TypeError && /access token must start/i.test(error.message)) {
    return new HubError(
      "invalid_token",
      "HF_TOKEN does not look like a Hugging Face access token (they start with hf_).",
      "Copy a token from https://huggingface.co/settings/tokens into HF_TOKEN, or unset it for public models.",
      { cause: error },
    );
  }
  if (isNetworkError(error)) return unreachableError(ctx, error);
  const message = error instanceof Error ? error.message : String(error);
  return new HubError("hub_error", `Download failed: ${firstLine(message)}`, "Retry; if it persists, run with BITNET_DEBUG=1 for details.", {
    cause: error,
  });
}

/** undici says "fetch failed" and hides the reason (e.g. "bad port") in `cause`. */
function innermostMessage(error: unknown): string | undefined {
  let message: string | undefined;
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++, e = e.cause) message = e.message;
  return message && message !== "fetch failed" ? firstLine(message) : undefined;
}

export function offlineError(repo: string, revision: string): HubError {
  return new HubError(
    "unreachable",
    `HF_HUB_OFFLINE is set and ${repo} (revision ${revision}) is not in the cache.`,
    "Unset HF_HUB_OFFLINE to download it, run `bitnet pull` (or any Hugging Face download) on a connected machine with the same Hugging Face cache (HF_HUB_CACHE / HF_HOME), or switch to the offline demo model.",
  );
}

export function invalidEndpointError(hubUrl: string): HubError {
  return new HubError(
    "hub_error",
    `HF_ENDPOINT is not a valid URL: "${hubUrl}".`,
    "Set HF_ENDPOINT to the hub's base URL, e.g. https://huggingface.co, or unset it.",
  );
}

function firstLine(text: string): string {
  return text.split("\n")[0].slice(0, 300);
}
