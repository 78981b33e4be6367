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
  const { getDb } = await import("./server/db/connection");
  const { refuseUnroutableRequests } = await import("./server/http/unroutable-requests");
  refuseUnroutableRequests();
  limitRequestTime();
  logUploadAborts();
  stampClientAddresses();
  Promise.resolve()
    .then(() => deleteStaleSessions(getDb(), process.env.BITNET_API_KEY || undefined))
    .catch((error: unknown) =>
    console.error("[auth] could not delete stale sessions:", error instanceof Error ? error.message : error),
  );
  installShutdownHandlers({
    stopAnswers: () => answerRegistry().stopAll(),
    disposeModel: disposeModelHost,
    database: openedDatabase,
  });
  getModelHost().start();
}
