/**
 * Runs the conversion in a child process (server/convert/convert-process.mjs) and relays its progress:
 * converting the 2B checkpoint takes minutes of CPU, which on the server's own thread would stall status
 * polls, SSE heartbeats and every other request. The child dies with the server.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

const children = new Set<ReturnType<typeof spawn>>();
let exitHookInstalled = false;

function killChildrenOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of children) child.kill("SIGKILL");
  });
}

/**
 * `script`: where convert-process.mjs is; by default found from the working directory (next start and
 * vitest run from the repo root; the CLI, which may run from anywhere, passes it).
 */
export function convertInChildProcess(checkpointDir: string, cacheRoot: string, onProgress: (message: string) => void, script?: string): Promise<string> {
  // turbopackIgnore: a run-time path.
  script ??= path.resolve(/*turbopackIgnore: true*/ process.cwd(), "server/convert/convert-process.mjs");
  killChildrenOnExit();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, checkpointDir, cacheRoot], { stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let result: { done?: string; error?: string } = {};
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      let message: { progress?: string; done?: string; error?: string };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return; // a stray log line from a dependency
      }
      if (message.progress !== undefined) onProgress(message.progress);
      else result = message;
    });
    child.once("error", (error) => {
      children.delete(child);
      reject(error);
    });
    child.once("close", (code) => {
      children.delete(child);
      if (code === 0 && result.done) resolve(result.done);
      else reject(new Error(result.error ?? `the converter process exited with code ${code}: ${stderr.trim() || "no output"}`));
    });
  });
}
