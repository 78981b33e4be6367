/**
 * The tree migration on a database written by the schema before it: the previous migrations are
 * applied to a fresh file, rows are written the way that version of the app wrote them, then the
 * file is opened by the current code (which applies the rest).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { getConversation } from "@/server/chat/conversations";
import { migrationsFolder, openDatabase } from "./open-database";
import { sqliteStore } from "./sqlite-store";
import { checkFtsIntegrity } from "./testing/temp-db";
import { searchConversations } from "./search-repo";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Journal {
  entries: { tag: string }[];
}

/** A copy of drizzle/sqlite whose journal stops before the tree migration. */
function migrationsBeforeTree(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "bitnet-chat-migrations-"));
  dirs.push(dir);
  cpSync(migrationsFolder(), dir, { recursive: true });
  const journalFile = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as Journal;
  const treeIndex = journal.entries.findIndex((entry) => entry.tag.endsWith("_tree"));
  expect(treeIndex).toBeGreaterThan(0);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, treeIndex) }));
  return dir;
}

function writeOldDatabase(file: string): void {
  const sqlite = new Database(file);
  sqlite.pragma("foreign_keys = ON");
  migrate(drizzle(sqlite), { migrationsFolder: migrationsBeforeTree() });
  const columns = sqlite.prepare("SELECT name FROM pragma_table_info('messages')").all() as { name: string }[];
  expect(columns.map((c) => c.name)).not.toContain("parent_id");
  const params = JSON.stringify({ systemPrompt: "", temperature: 0.7, topP: 0.9, topK: 40, maxNewTokens: 256, repetitionPenalty: 1.1, seed: null });
  const conversation = sqlite.prepare("INSERT INTO conversations (id, title, params, created_at, updated_at) VALUES (?, ?, ?, ?, ?)");
  const message = sqlite.prepare("INSERT INTO messages (id, conversation_id, role, content, status, created_at) VALUES (?, ?, ?, ?, ?, ?)");
  // Interleaved writes: seq order across conversations is mixed, as in a real file.
  conversation.run("c1", "Penguins", params, 1, 10);
  conversation.run("c2", "Empty", params, 2, 2);
  conversation.run("c3", "Otters", params, 3, 30);
  message.run("c1-u1", "c1", "user", "Where do penguins live?", "complete", 4);
  message.run("c3-u1", "c3", "user", "Do otters hold hands?", "complete", 5);
  message.run("c1-a1", "c1", "assistant", "Mostly in the southern hemisphere.", "complete", 6);
  message.run("c3-a1", "c3", "assistant", "Sea otters do, while sleeping.", "stopped", 7);
  message.run("c1-u2", "c1", "user", "And emperor penguins?", "complete", 8);
  message.run("c1-a2", "c1", "assistant", "Antarctica.", "complete", 9);
  sqlite.close();
}

describe("tree migration", () => {
  it("keeps every message and turns each linear conversation into a single branch", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "bitnet-chat-db-"));
    dirs.push(dir);
    const file = path.join(dir, "old.db");
    writeOldDatabase(file);

    const open = openDatabase(file);
    const store = sqliteStore(open);
    try {
      const rows = open.sqlite.prepare("SELECT id, conversation_id AS c, parent_id AS parent, content FROM messages ORDER BY seq").all();
      expect(rows).toEqual([
        { id: "c1-u1", c: "c1", parent: null, content: "Where do penguins live?" },
        { id: "c3-u1", c: "c3", parent: null, content: "Do otters hold hands?" },
        { id: "c1-a1", c: "c1", parent: "c1-u1", content: "Mostly in the southern hemisphere." },
        { id: "c3-a1", c: "c3", parent: "c3-u1", content: "Sea otters do, while sleeping." },
        { id: "c1-u2", c: "c1", parent: "c1-a1", content: "And emperor penguins?" },
        { id: "c1-a2", c: "c1", parent: "c1-u2", content: "Antarctica." },
      ]);
      const leaves = open.sqlite.prepare("SELECT id, active_leaf_id AS leaf, updated_at AS updated FROM conversations ORDER BY seq").all();
      expect(leaves).toEqual([
        { id: "c1", leaf: "c1-a2", updated: 10 },
        { id: "c2", leaf: null, updated: 2 },
        { id: "c3", leaf: "c3-a1", updated: 30 },
      ]);

      const c1 = await getConversation(store, { id: "c1" });
      expect(c1.messages.map((m) => m.id)).toEqual(["c1-u1", "c1-a1", "c1-u2", "c1-a2"]);
      expect(c1.messages.every((m) => m.siblings.count === 1 && m.siblings.index === 0)).toBe(true);
      expect((await getConversation(store, { id: "c3" })).messages.map((m) => [m.id, m.status])).toEqual([["c3-u1", "complete"], ["c3-a1", "stopped"]]);
      expect((await getConversation(store, { id: "c2" })).messages).toEqual([]);

      checkFtsIntegrity(open);
      expect(searchConversations(open.db, { query: "otters", limit: 5 }).map((h) => h.conversationId)).toEqual(["c3"]);
      // Deleting a conversation still cascades through the new self-reference.
      open.sqlite.prepare("DELETE FROM conversations WHERE id = 'c1'").run();
      expect(open.sqlite.prepare("SELECT count(*) AS n FROM messages").get()).toEqual({ n: 2 });
    } finally {
      open.close();
    }
  });
});
