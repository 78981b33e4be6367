import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { claimSqliteFile } from "./sqlite-instance";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dbFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "bitnet-sqlite-instance-"));
  dirs.push(dir);
  return path.join(dir, "chat.db");
}

describe("SQLite is one instance per file: a second process says so at startup", () => {
  it("warns when another live process has the file open, naming its pid and PostgreSQL as the way to run several", () => {
    const file = dbFile();
    writeFileSync(`${file}.instance`, `${process.ppid}\n`); // a live process that is not this one
    const warnings: string[] = [];
    const release = claimSqliteFile(file, (message) => warnings.push(message));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`pid ${process.ppid}`);
    expect(warnings[0]).toContain("DATABASE_URL");
    expect(readFileSync(`${file}.instance`, "utf8").trim()).toBe(String(process.pid));
    release();
    expect(existsSync(`${file}.instance`)).toBe(false);
  });

  it("stays quiet for a fresh file and for one left behind by a process that died (kill -9)", () => {
    const file = dbFile();
    const warnings: string[] = [];
    claimSqliteFile(file, (message) => warnings.push(message))();
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    writeFileSync(`${file}.instance`, `${dead}\n`);
    claimSqliteFile(file, (message) => warnings.push(message))();
    expect(warnings).toEqual([]);
  });
});
