/**
 * A real PostgreSQL server for tests: Debian's `postgresql` package (binaries under
 * /usr/lib/postgresql/<version>/bin), a fresh data directory in /tmp, a free port on 127.0.0.1, trust
 * auth. initdb and postgres refuse to run as root, so as root they run as the `postgres` user
 * (`runuser -u postgres --`). Stop it with `dispose()`; `stop()`/`start()` simulate an outage on the
 * same port.
 *
 * Not installed: the PostgreSQL suites FAIL (CI installs it, see .ci/run). Only BITNET_TEST_SKIP_PG=1
 * (an explicit local choice) skips them — see `postgresAvailable()`.
 */
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "@/tests/support/free-port";

const run = promisify(execFile);

/** False only when the developer asked to skip (BITNET_TEST_SKIP_PG=1); a missing install is an error, not a skip. */
export function postgresAvailable(): boolean {
  return process.env.BITNET_TEST_SKIP_PG !== "1";
}

function binDir(): string {
  if (process.env.BITNET_PG_BIN) return process.env.BITNET_PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "initdb"))) : [];
  if (versions.length === 0) {
    throw new Error(
      "PostgreSQL is not installed: the PostgreSQL test suites need Debian's `postgresql` package (apt-get install -y postgresql; .ci/run does it). " +
        "Set BITNET_TEST_SKIP_PG=1 to skip them locally.",
    );
  }
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0]!;
  return path.join(root, newest, "bin");
}

const asRoot = userInfo().uid === 0;

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
async function pgBin(bin: string, args: string[]): Promise<void> {
  const file = path.join(binDir(), bin);
  try {
    if (asRoot) await run("runuser", ["-u", "postgres", "--", file, ...args]);
    else await run(file, args);
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${bin} ${args.join(" ")} failed: ${e.stderr || e.message}`);
  }
}

export interface PostgresServer {
  port: number;
  /** postgres://… for `database` on this server. */
  url(database: string): string;
  /** A new, empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown): connections fail until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and deletes its data directory. */
  dispose(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "bitnet-pg-"));
  const data = path.join(dir, "data");
  if (asRoot) {
    const { uid, gid } = userInfoOf("postgres");
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  // No fsync: a test database need not survive a power cut, and initdb's syncs take seconds here.
  await pgBin("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = () => pgBin("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"]);
  const stop = () => pgBin("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"]);
  await start();
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let running = true;
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async dispose() {
      if (running) await pgBin("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function userInfoOf(name: string): { uid: number; gid: number } {
  const fields = execFileSync("getent", ["passwd", name], { encoding: "utf8" }).split(":");
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}
