import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/server/db/open-database";
import { tempDbFile } from "@/server/db/testing/temp-db";
import { shutdown } from "./graceful-shutdown";
import { isShuttingDown, trackInFlight } from "./in-flight";

const quiet = { info: () => undefined, error: () => undefined };
let file = "";
afterEach(() => rmSync(path.dirname(file), { recursive: true, force: true }));

describe("shutdown", () => {
  it("stops the model, waits for in-flight saves, checkpoints the WAL away, closes the database, exits 0", async () => {
    file = tempDbFile();
    const open = openDatabase(file);
    open.sqlite.exec("CREATE TABLE t (x TEXT)");
    const insert = open.sqlite.prepare("INSERT INTO t VALUES (?)");
    for (let i = 0; i < 200; i++) insert.run("x".repeat(1000));
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
