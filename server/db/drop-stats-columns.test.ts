/**
 * Migration 0002 drops the per-number stats columns of `messages`: a database written before it keeps
 * every answer's JSON `stats`, its text and its search index.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { searchConversations } from "./search-repo";
import { checkFtsIntegrity } from "./testing/temp-db";
import { migrationsFolder, openDatabase } from "./open-database";

const root = mkdtempSync(path.join(os.tmpdir(), "bitnet-migrate-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of drizzle/sqlite whose journal stops before `tag`. */
function migrationsBefore(tag: string): string {
  const dir = path.join(root, "migrations");
  cpSync(migrationsFolder(), dir, { recursive: true });
  const journalFile = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
  const stop = journal.entries.findIndex((e) => e.tag === tag);
  expect(stop).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, stop);
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

describe("migration 0002_drop_stats_columns", () => {
  it("keeps the JSON stats, the text and the search index of answers stored before it", () => {
    const file = path.join(root, "old.db");
    const old = new Database(file);
    migrate(drizzle(old), { migrationsFolder: migrationsBefore("0002_drop_stats_columns") });
    const stats = { promptTokens: 7, completionTokens: 3, cachedPromptTokens: 0, ttftMs: 12, prefillTokPerS: 580, decodeTokPerS: 21, totalMs: 150, stopReason: "eos" };
    old.prepare("INSERT INTO conversations (id, title, params, created_at, updated_at) VALUES ('c', 'Old chat', '{}', 1, 1)").run();
    old
      .prepare(
        `INSERT INTO messages (id, conversation_id, role, content, status, prompt_tokens, completion_tokens, ttft_ms, total_ms, tokens_per_s, stats, created_at)
         VALUES ('m', 'c', 'assistant', 'ternary weights everywhere', 'complete', 7, 3, 12, 150, 21, ?, 2)`,
      )
      .run(JSON.stringify(stats));
    old.close();

    const db = openDatabase(file);
    try {
      const columns = (db.sqlite.prepare("PRAGMA table_info(messages)").all() as { name: string }[]).map((c) => c.name);
      for (const gone of ["prompt_tokens", "completion_tokens", "ttft_ms", "total_ms", "tokens_per_s"]) expect(columns).not.toContain(gone);
      const row = db.sqlite.prepare("SELECT content, stats FROM messages WHERE id = 'm'").get() as { content: string; stats: string };
      expect(row.content).toBe("ternary weights everywhere");
      expect(JSON.parse(row.stats)).toEqual(stats);
      expect(searchConversations(db.db, { query: "ternary", limit: 10 }).map((h) => h.conversationId)).toEqual(["c"]);
      checkFtsIntegrity(db);
    } finally {
      db.close();
    }
  });
});
