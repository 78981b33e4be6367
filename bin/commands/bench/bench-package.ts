/**
 * The separate `bench/` package (node-llama-cpp with llama.cpp's prebuilt binaries) is installed on first
 * use of `bitnet bench --baseline`, never by the app's `npm install`. NODE_LLAMA_CPP_SKIP_DOWNLOAD keeps
 * node-llama-cpp's postinstall from fetching or compiling llama.cpp: the prebuilt binaries come from the
 * npm registry as @node-llama-cpp/<platform> packages.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export const BENCH_DIR = path.resolve(import.meta.dirname, "../../../bench");
export const LLAMA_CPP_WORKER = path.join(BENCH_DIR, "llama-cpp-worker.mjs");

export function benchPackageInstalled(): boolean {
  return existsSync(path.join(BENCH_DIR, "node_modules", "node-llama-cpp", "package.json"));
}

/** Environment for anything that loads node-llama-cpp: prebuilt binaries only, no download, no build. */
export function llamaCppEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" };
}

export async function ensureBenchPackage(log: (message: string) => void): Promise<void> {
  if (benchPackageInstalled()) return;
  log(`installing the benchmark baselines into ${BENCH_DIR} (npm install --prefix bench; once)`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(npm, ["install", "--prefix", BENCH_DIR, "--no-audit", "--no-fund"], { stdio: ["ignore", "inherit", "inherit"], env: llamaCppEnv() });
    child.on("error", reject);
    child.on("exit", resolve);
  });
  if (code !== 0 || !benchPackageInstalled()) {
    throw new Error(`npm install --prefix ${BENCH_DIR} failed (exit ${code}); the llama.cpp baseline needs node-llama-cpp from the npm registry`);
  }
}

/** Runs the llama.cpp worker in its own process (its memory is measured apart from ours) and parses its JSON line. */
export async function runLlamaCppWorker<T>(request: Record<string, unknown>): Promise<T> {
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const child = spawn(process.execPath, [LLAMA_CPP_WORKER, JSON.stringify(request)], { cwd: BENCH_DIR, env: llamaCppEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (c) => resolve({ stdout: out, stderr: err, code: c }));
  });
  const line = stdout.trim().split("\n").pop();
  if (code !== 0 || !line) throw new Error(`llama.cpp worker failed (exit ${code}): ${stderr.trim().slice(-2000)}`);
  return JSON.parse(line) as T;
}
