/**
 * Next.js calls `register()` once when the server starts. Starting the model host here means the
 * download/convert/load begins at server start, not at the first request; the signal handlers make
 * SIGTERM/SIGINT stop answers, save them and close the database cleanly, request bodies time out, a
 * client hanging up mid-upload is logged as an abort, every request is stamped with its client's address (the
 * access key throttle counts by it), sessions of another access key (or of none) are deleted, and a method
 * or path no route can take (TRACE, `%ff`) gets a JSON 405/400.
 * Only in the Node.js runtime: the edge runtime has no file system or onnxruntime.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getModelHost, disposeModelHost } = await import("./server/host/model-host");
  const { openedDatabase } = await import("./server/db/connection");
  const { answerRegistry } = await import("./server/chat/answer-registry");
  const { installShutdownHandlers } = await import("./server/lifecycle/graceful-shutdown");
  const { limitRequestTime } = await import("./server/lifecycle/request-timeout");
  const { logUploadAborts } = await import("./server/lifecycle/upload-aborts");
  const { stampClientAddresses } = await import("./server/auth/client-address");
  const { deleteStaleSessions } = await import("./server/auth/sessions");
  const { authModeFromEnv } = await import("./server/auth/auth-mode");
  const { giveUnownedToFirstAdmin } = await import("./server/auth/users");
  const { getDb } = await import("./server/db/connection");
  const { refuseUnroutableRequests } = await import("./server/http/unroutable-requests");
  refuseUnroutableRequests();
  limitRequestTime();
  logUploadAborts();
  stampClientAddresses();
  Promise.resolve()
    .then(async () => {
      const accounts = authModeFromEnv() === "accounts";
      await deleteStaleSessions(getDb(), process.env.BITNET_API_KEY || undefined, new Date(), accounts);
      const adopted = accounts ? await giveUnownedToFirstAdmin(getDb()) : 0;
      if (adopted > 0) console.log(`[auth] ${adopted} conversations and presets written without accounts now belong to the first admin`);
    })
    .catch((error: unknown) =>
    console.error("[auth] could not delete stale sessions (or give unowned rows to the first admin):", error instanceof Error ? error.message : error),
  );
  installShutdownHandlers({
    stopAnswers: () => answerRegistry().stopAll(),
    disposeModel: disposeModelHost,
    database: openedDatabase,
  });
  getModelHost().start();
  // Decoding this tokenizer's vocabulary blocks the event loop ≈ 360 ms: here, before the first request, not
  // inside the first import or chat request that counts an attachment's tokens (next.config.ts keeps it external).
  await import("llama3-tokenizer-js");
}
