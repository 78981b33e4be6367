/**
 * Starts the production build (`next start`) as a child process on a free port, with its own
 * SQLite file and cache folder, and waits until it answers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "@/tests/support/free-port";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface AppServer {
  baseUrl: string;
  databasePath: string;
  port: number;
  logs(): string;
  /** Sends a signal and waits (up to 30 s) for the process to exit; its exit code, or null if it did not. */
  signal(name: NodeJS.Signals): Promise<number | null>;
  stop(): Promise<void>;
  /** kill -9: no shutdown, no clean-up (a crash). */
  kill(): Promise<void>;
}

export async function startAppServer(
  env: Record<string, string>,
  options: { waitForModel?: boolean; port?: number } = {},
): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  const workDir = mkdtempSync(path.join(os.tmpdir(), "bitnet-e2e-"));
  // A given DATABASE_PATH lets a second server open the first one's database (restart after a crash).
  const databasePath = env.DATABASE_PATH ?? path.join(workDir, "chat.db");
  let output = "";
  const child: ChildProcess = spawn(path.join(ROOT, "node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_PATH: databasePath,
      BITNET_CACHE: path.join(workDir, "cache"),
      HF_HUB_CACHE: path.join(workDir, "hf-hub"), // never the user's Hugging Face cache from tests
      HF_ENDPOINT: "http://127.0.0.1:9", // never the real hub from tests
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const baseUrl = `http://127.0.0.1:${port}`;
  const server: AppServer = {
    baseUrl,
    databasePath,
    port,
    logs: () => output,
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
    async signal(name) {
      if (child.exitCode === null) {
        child.kill(name);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      }
      return child.exitCode;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
      rmSync(workDir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`server did not become ready in time:\n${output}`);
    }
    try {
      // With BITNET_API_KEY set, /api/* needs the key too.
      const auth: Record<string, string> = env.BITNET_API_KEY ? { Authorization: `Bearer ${env.BITNET_API_KEY}` } : {};
      // With accounts, nothing but the public health check answers before someone signs in.
      const accounts = env.BITNET_AUTH === "accounts";
      const response = await fetch(`${baseUrl}${accounts ? "/api/health" : "/api/model"}`, { headers: auth });
      if (response.ok) {
        const body = (await response.json()) as { state?: string; model?: string; error?: { message: string } | null };
        const status = accounts ? { state: body.model ?? "", error: null } : { state: body.state ?? "", error: body.error };
        if (!options.waitForModel || status.state === "ready") return server;
        if (status.state === "error") throw new Error(`model failed to load: ${status.error?.message}`);
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("model failed")) {
        await server.stop();
        throw error;
      }
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
