/**
 * SQLite is one app instance per file: the running answers (their 409 guard, Stop, re-attach) live in
 * that process's memory. Two servers on one file would each think they alone answer, so the second
 * says so at startup. A marker file next to the database (`<file>.instance`) holds the pid of the
 * process that has it open; one left by a crashed process (its pid gone) is simply taken over.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/** Marks the file as opened by this process; warns when another live process has it open. Returns the clean-up. */
export function claimSqliteFile(file: string, warn: (message: string) => void = console.warn): () => void {
  const marker = `${file}.instance`;
  let other: number | null = null;
  try {
    const pid = Number(readFileSync(marker, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) other = pid;
  } catch {
    // no marker: nobody else has it open
  }
  if (other !== null) {
    warn(
      `[db] ${file} is already open in another BitNet Chat process (pid ${other}). SQLite serves one instance: ` +
        "running answers, Stop, re-attach and the one-answer-per-conversation guard are not shared between them. " +
        "For several instances use PostgreSQL (DATABASE_URL, see docs/deployment.md).",
    );
  }
  try {
    writeFileSync(marker, `${process.pid}\n`);
  } catch {
    return () => undefined; // a read-only directory: no marker, no warning for the next one
  }
  return () => {
    try {
      if (Number(readFileSync(marker, "utf8").trim()) === process.pid) rmSync(marker, { force: true });
    } catch {
      // already gone
    }
  };
}
