/**
 * Next.js calls `register()` once when the server starts. Starting the model host here means the
 * download/convert/load begins at server start, not at the first request. Only in the Node.js runtime:
 * the edge runtime has no file system or onnxruntime.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getModelHost } = await import("./server/host/model-host");
  getModelHost().start();
}
