/** A fresh, migrated database file in a temporary folder, for tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase, type OpenDatabase } from "../open-database";
import { sqliteStore } from "../sqlite-store";
import type { Store } from "../store";

export interface TempDb extends OpenDatabase {
  file: string;
  /** The async repository interface over this file, as the chat layer uses it. */
  store: Store;
  dispose(): void;
}

export function tempDbFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), "bitnet-chat-db-")), "test.db");
}

export function openTempDb(): TempDb {
  const file = tempDbFile();
  const open = openDatabase(file);
  return {
    ...open,
    file,
    store: sqliteStore(open),
    dispose() {
      open.close();
      rmSync(path.dirname(file), { recursive: true, force: true });
    },
  };
}

/** Row counts of the tables, to assert that a rejected request wrote nothing. */
export function tableCounts(open: OpenDatabase): { conversations: number; messages: number } {
  const count = (table: string) => (open.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { conversations: count("conversations"), messages: count("messages") };
}

/** FTS5's own consistency check of both external-content indexes against their tables; throws when out of sync. */
export function checkFtsIntegrity(open: OpenDatabase): void {
  open.sqlite.exec("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)");
  open.sqlite.exec("INSERT INTO conversations_fts(conversations_fts, rank) VALUES ('integrity-check', 1)");
}
