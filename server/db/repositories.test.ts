/** SQLite specifics (the store's behaviour on both dialects is tested in ./store.test.ts). */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempDb, type TempDb } from "./testing/temp-db";

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(() => t.dispose());

describe("database setup", () => {
  it("runs migrations and turns on WAL and foreign keys", () => {
    expect(t.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(t.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(Number(t.sqlite.pragma("busy_timeout", { simple: true }))).toBeGreaterThan(0);
    const tables = t.sqlite.prepare("SELECT name FROM sqlite_master WHERE type IN ('table','trigger')").all() as { name: string }[];
    const names = tables.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(["conversations", "messages", "messages_fts", "conversations_fts", "messages_fts_ai", "conversations_fts_au"]));
  });
});
