/**
 * Downloads one checkpoint file into its blob in the Hugging Face cache: to `<blob>.incomplete` first (the
 * name huggingface_hub uses), resuming from its size with a Range request (`@huggingface/hub`'s
 * WebBlob.slice() issues it), verifying size and hash while the bytes arrive, and renaming into place only
 * when the content matches — so a half or corrupt file is never used. Dropped connections are retried from
 * where they stopped.
 */
import { downloadFile } from "@huggingface/hub";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { fileSize } from "./snapshot-cache";
import { ContentVerifier, type ExpectedContent } from "./verify";
import type { ProgressTracker } from "./download-progress";
import {
  HubError,
  abortedError,
  diskFullError,
  errorCode,
  isNetworkError,
  notFoundError,
  toHubError,
  type ErrorContext,
} from "./hub-error";

export interface FileDownloadOptions {
  repo: string;
  /** The commit being downloaded, so every file comes from the same snapshot. */
  commit: string;
  revision: string;
  hubUrl: string;
  accessToken?: string;
  /** The blob's final path (`…/blobs/<etag>`). */
  blob: string;
  expected: ExpectedContent;
  tracker: ProgressTracker;
  fetch: typeof fetch;
  signal?: AbortSignal;
  /** Bytes still to come after this file, for the "free N GB" hint. */
  laterBytes?: number;
  /** Consecutive failed attempts (without any progress) before giving up. */
  maxAttempts?: number;
  retryDelayMs?: number;
}

export async function downloadVerifiedFile(options: FileDownloadOptions): Promise<void> {
  const { expected, tracker, signal } = options;
  const finalPath = options.blob;
  const partialPath = `${finalPath}.incomplete`;
  const ctx: ErrorContext = { hubUrl: options.hubUrl, repo: options.repo, revision: options.revision, file: expected.path };
  await mkdir(path.dirname(finalPath), { recursive: true });
  tracker.setFile(expected.path);

  // Files are renamed into place only after verification, so a final file of the right size is good.
  if ((await fileSize(finalPath)) === expected.size) {
    tracker.addExisting(expected.size);
    return;
  }

  const verifier = new ContentVerifier(expected);
  // Shared with appendRange so bytes written before a dropped connection are not forgotten.
  const state = { offset: (await fileSize(partialPath)) ?? 0 };
  if (state.offset > expected.size) {
    await rm(partialPath, { force: true });
    state.offset = 0;
  }
  if (state.offset > 0) {
    await verifier.updateFromFile(partialPath, state.offset);
    tracker.addExisting(state.offset);
  }

  const maxAttempts = options.maxAttempts ?? 5;
  let blob: Blob | null = null;
  for (let failures = 0; ; ) {
    const before = state.offset;
    try {
      blob ??= await downloadFile({
        repo: options.repo,
        path: expected.path,
        revision: options.commit,
        hubUrl: options.hubUrl,
        accessToken: options.accessToken,
        fetch: options.fetch,
        // Plain HTTP ranges work against any hub mirror (and our test server); Xet needs the CAS service.
        xet: false,
      });
      if (!blob) throw notFoundError(ctx);
      if (blob.size !== expected.size) {
        throw new HubError(
          "checksum_mismatch",
          `${expected.path} on the hub is ${blob.size} bytes but its listing says ${expected.size}.`,
          "The repo may have changed during the download: retry.",
        );
      }
      await appendRange(blob, state, partialPath, verifier, tracker, signal);
      break;
    } catch (error) {
      if (signal?.aborted) throw abortedError();
      if (errorCode(error) === "ENOSPC") {
        throw diskFullError(path.dirname(finalPath), expected.size - state.offset + (options.laterBytes ?? 0), error);
      }
      if (state.offset > before) failures = 0;
      if (isNetworkError(error) && ++failures < maxAttempts) {
        // Ask the hub again: LFS downloads go through signed CDN URLs that expire.
        blob = null;
        await sleep((options.retryDelayMs ?? 1000) * failures, signal);
        continue;
      }
      if (isNetworkError(error) && state.offset > 0) {
        throw new HubError(
          "interrupted",
          `The download of ${expected.path} kept failing at ${state.offset} of ${expected.size} bytes.`,
          "Check your connection and retry: the download resumes where it stopped.",
          { cause: error },
        );
      }
      throw toHubError(error, ctx, signal);
    }
  }

  const mismatch = verifier.finish(state.offset);
  if (mismatch) {
    await rm(partialPath, { force: true });
    throw new HubError(
      "checksum_mismatch",
      `${expected.path} failed verification (${mismatch}); the corrupt file was removed.`,
      "Retry the download. If it fails again, a proxy or the mirror at HF_ENDPOINT is serving different bytes.",
    );
  }
  await rename(partialPath, finalPath);
  tracker.flush();
}

/** Streams bytes [state.offset, size) of the blob onto the partial file, advancing state.offset as it goes. */
async function appendRange(
  blob: Blob,
  state: { offset: number },
  partialPath: string,
  verifier: ContentVerifier,
  tracker: ProgressTracker,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (state.offset >= blob.size) return;
  const handle = await open(partialPath, "a");
  const reader = blob.slice(state.offset).stream().getReader();
  try {
    for (;;) {
      if (signal?.aborted) throw abortedError();
      const { done, value } = await reader.read();
      if (done) break;
      if (state.offset + value.byteLength > blob.size) {
        // A server that ignores Range sends the file from byte 0: the partial cannot be trusted.
        await handle.truncate(0);
        state.offset = 0;
        throw new HubError("checksum_mismatch", `The hub sent more bytes than ${blob.size} for this file.`, "Retry the download.");
      }
      await handle.write(value);
      verifier.update(value);
      state.offset += value.byteLength;
      tracker.addTransferred(value.byteLength);
    }
  } finally {
    reader.cancel().catch(() => {});
    await handle.close();
  }
  if (state.offset < blob.size) {
    throw Object.assign(new Error(`connection closed after ${state.offset} of ${blob.size} bytes`), { code: "ECONNRESET" });
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
