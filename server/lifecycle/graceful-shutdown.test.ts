import { existsSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/server/db/open-database";
import { tempDbFile } from "@/server/db/testing/temp-db";
import { installShutdownHandlers, shutdown } from "./graceful-shutdown";
import { isShuttingDown, trackInFlight } from "./in-flight";

const quiet = { info: () => undefined, error: () => undefined };
let file = "";
afterEach(() => rmSync(path.dirname(file), { recursive: true, force: true }));

/** A database whose -wal file holds 200 rows of 1 KB. */
function databaseWithWal() {
  file = tempDbFile();
  const open = openDatabase(file);
  open.sqlite.exec("CREATE TABLE t (x TEXT)");
  const insert = open.sqlite.prepare("INSERT INTO t VALUES (?)");
  for (let i = 0; i < 200; i++) insert.run("x".repeat(1000));
  return { open, insert };
}

describe("shutdown", () => {
  it("stops the model, waits for in-flight saves, checkpoints the WAL away, closes the database, exits 0", async () => {
    const { open, insert } = databaseWithWal();
    expect(existsSync(`${file}-wal`)).toBe(true);

    const order: string[] = [];
    let exitCode: number | undefined;
    // An answer whose save finishes only after the model stopped, as the chat layer's does.
    let release!: () => void;
    const stopped = new Promise<void>((resolve) => (release = resolve));
    void trackInFlight(stopped.then(() => (insert.run("saved"), order.push("saved"))));

    await shutdown(
      {
        stopAnswers: async () => void order.push("answers stopped"),
        disposeModel: async () => {
          order.push("model stopped");
          release();
        },
        database: () => open,
        log: quiet,
        exit: (code) => {
          order.push("exit");
          exitCode = code;
        },
      },
      "SIGTERM",
    );
    expect(order).toEqual(["answers stopped", "model stopped", "saved", "exit"]);
    expect(exitCode).toBe(0);
    expect(isShuttingDown()).toBe(true);
    expect(open.sqlite.open).toBe(false);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = openDatabase(file);
    expect(reopened.sqlite.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 201 });
    reopened.close();
  });

  it("checkpoints the WAL into the database file even while another connection keeps it open", async () => {
    // Closing the last connection would checkpoint by itself; with a second one open (a sqlite3 shell, the
    // migrate CLI) only the explicit wal_checkpoint(TRUNCATE) leaves no data in the -wal file.
    const { open } = databaseWithWal();
    const other = new Database(file);
    try {
      expect(other.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 200 }); // really attached to the WAL
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
      await shutdown({ disposeModel: async () => undefined, database: () => open, log: quiet, exit: () => undefined }, "SIGTERM");
      expect(statSync(`${file}-wal`).size).toBe(0);
      expect(other.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 200 });
    } finally {
      other.close();
    }
  });

  it("does not wait forever for a model that never stops", async () => {
    file = tempDbFile();
    const open = openDatabase(file);
    let exitCode: number | undefined;
    await shutdown(
      { disposeModel: () => new Promise(() => undefined), database: () => open, log: quiet, exit: (code) => (exitCode = code), timeoutMs: 50 },
      "SIGINT",
    );
    expect(exitCode).toBe(0);
    expect(open.sqlite.open).toBe(false);
  });
});

describe("installShutdownHandlers", () => {
  it("owns the first signal: a listener added later (signal-exit re-raising it) neither runs nor counts as a second signal", async () => {
    file = tempDbFile();
    const open = openDatabase(file);
    const exits: number[] = [];
    installShutdownHandlers({ disposeModel: async () => undefined, database: () => open, log: quiet, exit: (code) => exits.push(code) });
    let lateRan = 0;
    // What signal-exit does when it counts only its own listeners: re-raise the signal.
    const late = () => {
      lateRan++;
      process.emit("SIGTERM", "SIGTERM");
    };
    process.on("SIGTERM", late);
    await Promise.resolve();
    process.emit("SIGTERM", "SIGTERM");
    await until(() => exits.length > 0);
    expect(exits).toEqual([0]);
    expect(lateRan).toBe(0);
    process.off("SIGTERM", late);
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}
