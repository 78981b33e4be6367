import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import * as conversations from "./conversations-repo";
import * as messages from "./messages-repo";
import { searchConversations } from "./search-repo";
import { checkFtsIntegrity, openTempDb, type TempDb } from "./testing/temp-db";

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(() => t.dispose());

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

function seedConversation(id: string, title: string, createdMs: number) {
  return conversations.createConversation(t.db, { id, title, params: DEFAULT_GENERATION_PARAMS, createdAt: at(createdMs) });
}

/** Appends to the conversation's single branch (the parent is the previous message, the new one the active leaf). */
function addMessage(conversationId: string, id: string, role: "user" | "assistant", content: string, ms = 0) {
  const parentId = messages.listMessages(t.db, { conversationId }).at(-1)?.id ?? null;
  const row = messages.insertMessage(t.db, { message: { id, conversationId, parentId, role, content, status: "complete", createdAt: at(ms) } });
  conversations.setActiveLeaf(t.db, { id: conversationId, leafId: id });
  return row;
}

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

describe("conversations and messages", () => {
  it("creates, reads, renames, updates params and lists newest first with message counts", () => {
    seedConversation("a", "First", 0);
    seedConversation("b", "Second", 1000);
    seedConversation("c", "Third", 2000);
    addMessage("a", "m1", "user", "hello");
    addMessage("a", "m2", "assistant", "hi there");
    expect(conversations.touchConversation(t.db, { id: "a", updatedAt: at(5000) })).toBe(true);
    const list = conversations.listConversations(t.db, { limit: 10 });
    expect(list.map((c) => c.id)).toEqual(["a", "c", "b"]);
    expect(list[0].messageCount).toBe(2);
    expect(list[1].messageCount).toBe(0);
    expect(conversations.listConversations(t.db, { limit: 1 })).toHaveLength(1);

    expect(conversations.renameConversation(t.db, { id: "b", title: "Renamed", updatedAt: at(6000) })).toBe(true);
    expect(conversations.renameConversation(t.db, { id: "missing", title: "x", updatedAt: at(6000) })).toBe(false);
    const params = { ...DEFAULT_GENERATION_PARAMS, temperature: 0.2, seed: 42 };
    conversations.updateConversationParams(t.db, { id: "b", params, updatedAt: at(7000) });
    const b = conversations.getConversation(t.db, { id: "b" });
    expect(b?.title).toBe("Renamed");
    expect(b?.params).toEqual(params);
    expect(b?.updatedAt.getTime()).toBe(at(7000).getTime());
    expect(conversations.getConversation(t.db, { id: "missing" })).toBeUndefined();
  });

  it("lists messages in insertion order and updates them", () => {
    seedConversation("a", "Chat", 0);
    // Same timestamp on purpose: order must not depend on clock ties.
    for (let i = 0; i < 5; i += 1) addMessage("a", `m${i}`, i % 2 ? "assistant" : "user", `text ${i}`, 0);
    expect(messages.listMessages(t.db, { conversationId: "a" }).map((m) => m.id)).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    const stats = { promptTokens: 3, completionTokens: 2, cachedPromptTokens: 0, ttftMs: 5, prefillTokPerS: 600, decodeTokPerS: 20, totalMs: 60, stopReason: "eos" as const };
    expect(messages.updateMessage(t.db, { id: "m1", patch: { content: "new", status: "stopped", stats } })).toBe(true);
    const m1 = messages.getMessage(t.db, { id: "m1" });
    expect(m1).toMatchObject({ content: "new", status: "stopped", stats });
    // Deleting a message deletes the branch below it (m4 follows m3).
    expect(messages.deleteMessages(t.db, { ids: ["m3"] })).toBe(1);
    expect(messages.listMessages(t.db, { conversationId: "a" }).map((m) => m.id)).toEqual(["m0", "m1", "m2"]);
  });

  it("rejects a message for a conversation that does not exist (foreign key)", () => {
    expect(() => addMessage("nope", "m", "user", "x")).toThrow(/FOREIGN KEY/);
  });

  it("deleting a conversation deletes its messages", () => {
    seedConversation("a", "Chat", 0);
    addMessage("a", "m1", "user", "hello");
    expect(conversations.deleteConversation(t.db, { id: "a" })).toBe(true);
    expect(conversations.deleteConversation(t.db, { id: "a" })).toBe(false);
    expect(messages.listMessages(t.db, { conversationId: "a" })).toEqual([]);
    expect(messages.getMessage(t.db, { id: "m1" })).toBeUndefined();
  });
});

describe("full-text search", () => {
  it("finds titles and message contents with a highlighted snippet, one hit per conversation", () => {
    seedConversation("a", "Cooking pasta", 0);
    seedConversation("b", "Astronomy", 1000);
    addMessage("a", "a1", "user", "How long should spaghetti boil?");
    addMessage("a", "a2", "assistant", "Boil spaghetti for about nine minutes, then taste it.");
    addMessage("b", "b1", "user", "What is a neutron star?");

    const byWord = searchConversations(t.db, { query: "spaghetti", limit: 10 });
    expect(byWord).toHaveLength(1);
    expect(byWord[0].conversationId).toBe("a");
    expect(byWord[0].snippet).toContain("«spaghetti»");

    const byTitle = searchConversations(t.db, { query: "astronomy", limit: 10 });
    expect(byTitle).toEqual([{ conversationId: "b", snippet: "«Astronomy»" }]);

    // Prefix search while typing, diacritics folded, several words all required.
    expect(searchConversations(t.db, { query: "neut", limit: 10 }).map((h) => h.conversationId)).toEqual(["b"]);
    expect(searchConversations(t.db, { query: "néutron STAR", limit: 10 }).map((h) => h.conversationId)).toEqual(["b"]);
    expect(searchConversations(t.db, { query: "neutron spaghetti", limit: 10 })).toEqual([]);
  });

  it("returns matching conversations newest first, preferring a message snippet over the title", () => {
    seedConversation("old", "Rocket notes", 0);
    seedConversation("new", "Garden", 1000);
    seedConversation("none", "Unrelated", 2000);
    addMessage("old", "o1", "user", "first stage");
    addMessage("old", "o2", "assistant", "The rocket lifts off.");
    addMessage("old", "o3", "user", "Another rocket question");
    addMessage("new", "n1", "user", "a rocket-shaped flower bed");
    expect(searchConversations(t.db, { query: "rocket", limit: 10 })).toEqual([
      { conversationId: "new", snippet: "a «rocket»-shaped flower bed" },
      { conversationId: "old", snippet: "The «rocket» lifts off." },
    ]);
    expect(searchConversations(t.db, { query: "rocket", limit: 1 }).map((h) => h.conversationId)).toEqual(["new"]);
    conversations.touchConversation(t.db, { id: "old", updatedAt: at(9000) });
    expect(searchConversations(t.db, { query: "rocket", limit: 10 }).map((h) => h.conversationId)).toEqual(["old", "new"]);
  });

  it("looks past the most recent candidates whose only hits are replaced versions, to fill the limit", () => {
    // Three newer conversations match only in a replaced answer; the oldest matches on its branch.
    for (const [i, id] of ["n1", "n2", "n3"].entries()) {
      seedConversation(id, `Newer ${i}`, 1000 + i);
      addMessage(id, `${id}q`, "user", "question");
      addMessage(id, `${id}a`, "assistant", "an answer about otters");
      messages.insertMessage(t.db, { message: { id: `${id}b`, conversationId: id, parentId: `${id}q`, role: "assistant", content: "a better answer", status: "complete", createdAt: at(2) } });
      conversations.setActiveLeaf(t.db, { id, leafId: `${id}b` });
    }
    seedConversation("old", "Older", 0);
    addMessage("old", "oq", "user", "tell me about otters");
    // Candidates are checked `limit` at a time: with limit 1 the fourth check finds it.
    expect(searchConversations(t.db, { query: "otters", limit: 1 })).toEqual([{ conversationId: "old", snippet: "tell me about «otters»" }]);
    expect(searchConversations(t.db, { query: "otters", limit: 2 }).map((h) => h.conversationId)).toEqual(["old"]);
    // Back on the old version: it is found again, newest first.
    conversations.setActiveLeaf(t.db, { id: "n2", leafId: "n2a" });
    expect(searchConversations(t.db, { query: "otters", limit: 1 }).map((h) => h.conversationId)).toEqual(["n2"]);
  });

  it("treats FTS syntax in the query as plain words", () => {
    seedConversation("a", "Quotes", 0);
    addMessage("a", "a1", "user", 'she said "NEAR" AND left: title*');
    for (const q of ['"', 'NEAR(', "title:x", "AND OR NOT", "*", "(((", "a\"b"]) {
      expect(() => searchConversations(t.db, { query: q, limit: 10 })).not.toThrow();
    }
    expect(searchConversations(t.db, { query: '"near" and', limit: 10 }).map((h) => h.conversationId)).toEqual(["a"]);
    expect(searchConversations(t.db, { query: "?!…", limit: 10 })).toEqual([]);
  });

  it("stays in sync after rename, message update, delete and cascade delete", () => {
    seedConversation("a", "Old title", 0);
    addMessage("a", "a1", "user", "banana bread recipe");
    conversations.renameConversation(t.db, { id: "a", title: "Baking notes", updatedAt: at(1) });
    expect(searchConversations(t.db, { query: "old", limit: 10 })).toEqual([]);
    expect(searchConversations(t.db, { query: "baking", limit: 10 })).toHaveLength(1);

    messages.updateMessage(t.db, { id: "a1", patch: { content: "sourdough starter" } });
    expect(searchConversations(t.db, { query: "banana", limit: 10 })).toEqual([]);
    expect(searchConversations(t.db, { query: "sourdough", limit: 10 })).toHaveLength(1);
    checkFtsIntegrity(t);

    messages.deleteMessages(t.db, { ids: ["a1"] });
    expect(searchConversations(t.db, { query: "sourdough", limit: 10 })).toEqual([]);
    addMessage("a", "a2", "user", "rye flour");
    conversations.deleteConversation(t.db, { id: "a" });
    expect(searchConversations(t.db, { query: "rye", limit: 10 })).toEqual([]);
    expect(searchConversations(t.db, { query: "baking", limit: 10 })).toEqual([]);
    checkFtsIntegrity(t);
  });

  it("a failed transaction leaves neither the row nor its index entry", () => {
    seedConversation("a", "Chat", 0);
    expect(() =>
      t.db.transaction((tx) => {
        messages.insertMessage(tx, { message: { id: "x", conversationId: "a", role: "user", content: "zeppelin", status: "complete", createdAt: at(0) } });
        throw new Error("rollback");
      }),
    ).toThrow("rollback");
    expect(searchConversations(t.db, { query: "zeppelin", limit: 10 })).toEqual([]);
    checkFtsIntegrity(t);
  });
});
