/**
 * `node convert-process.mjs <checkpointDir> <cacheRoot>`: `ensureConverted` in its own process, so the
 * two-minute conversion of the real checkpoint never stalls the server's event loop. Speaks JSON lines on
 * stdout: `{"progress": "..."}` while it works, then `{"done": "<model dir>"}` or `{"error": "..."}`.
 */
import { ensureConverted } from "./convert";

const send = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
const [checkpointDir, cacheRoot] = process.argv.slice(2);

try {
  if (!checkpointDir || !cacheRoot) throw new Error("usage: convert-process.mjs <checkpointDir> <cacheRoot>");
  const outDir = await ensureConverted(checkpointDir, cacheRoot, { onProgress: (progress) => send({ progress }) });
  send({ done: outDir });
} catch (error) {
  send({ error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
}
