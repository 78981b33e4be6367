/**
 * The store's repositories on both dialects — the same tests on SQLite and on a real PostgreSQL server:
 * create, list, rename, settings, messages and the tree's cascade, search with snippets (prefix,
 * diacritics, ranking, the active branch), transactions, concurrent writes, presets, token blobs,
 * export/import through the chat layer, deleting a 5,000-message conversation.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { conversationExportSchema, type ConversationsBundle } from "@/lib/schemas/conversations";
import { exportAllConversations, exportConversation } from "@/server/chat/export-conversation";
import { importBundle, importConversation } from "@/server/chat/import-conversation";
import type { Store } from "./store";
import { dialects, type OpenedStore } from "./testing/dialects";

const CHAIN = 5_000;

/** The error or what it wraps (drizzle wraps the driver's error) says so. */
const mentions = (pattern: RegExp) => (error: unknown) => {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (pattern.test(e.message)) return true;
  return false;
};

describe.each(dialects("store"))("store on $name", (dialect) => {
  let opened: OpenedStore;
  let s: Store;
  beforeAll(() => dialect.setUp());
  afterAll(() => dialect.tearDown());
  beforeEach(async () => {
    opened = await dialect.open();
    s = opened.store;
  });
  afterEach(() => opened.dispose());

  const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

  function seedConversation(id: string, title: string, createdMs: number) {
    return s.conversations.createConversation({ id, title, params: DEFAULT_GENERATION_PARAMS, createdAt: at(createdMs) });
  }

  /** Appends to the conversation's single branch (the parent is the previous message, the new one the active leaf). */
  async function addMessage(conversationId: string, id: string, role: "user" | "assistant", content: string, ms = 0) {
    const parentId = (await s.messages.listMessages({ conversationId })).at(-1)?.id ?? null;
    const row = await s.messages.insertMessage({ message: { id, conversationId, parentId, role, content, status: "complete", createdAt: at(ms) } });
    await s.conversations.setActiveLeaf({ id: conversationId, leafId: id });
    return row;
  }

  describe("conversations and messages", () => {
    it("creates, reads, renames, updates params and lists newest first with message counts", async () => {
      await seedConversation("a", "First", 0);
      await seedConversation("b", "Second", 1000);
      await seedConversation("c", "Third", 2000);
      await addMessage("a", "m1", "user", "hello");
      await addMessage("a", "m2", "assistant", "hi there");
      expect(await s.conversations.touchConversation({ id: "a", updatedAt: at(5000) })).toBe(true);
      const list = await s.conversations.listConversations({ limit: 10 });
      expect(list.map((c) => c.id)).toEqual(["a", "c", "b"]);
      expect(list[0].messageCount).toBe(2);
      expect(list[1].messageCount).toBe(0);
      expect(await s.conversations.listConversations({ limit: 1 })).toHaveLength(1);

      expect(await s.conversations.renameConversation({ id: "b", title: "Renamed", updatedAt: at(6000) })).toBe(true);
      expect(await s.conversations.renameConversation({ id: "missing", title: "x", updatedAt: at(6000) })).toBe(false);
      const params = { ...DEFAULT_GENERATION_PARAMS, temperature: 0.2, seed: 42 };
      await s.conversations.updateConversationParams({ id: "b", params, updatedAt: at(7000) });
      const b = await s.conversations.getConversation({ id: "b" });
      expect(b?.title).toBe("Renamed");
      expect(b?.params).toEqual(params);
      expect(b?.updatedAt.getTime()).toBe(at(7000).getTime());
      expect(await s.conversations.getConversation({ id: "missing" })).toBeUndefined();
    });

    it("lists messages in insertion order and updates them", async () => {
      await seedConversation("a", "Chat", 0);
      // Same timestamp on purpose: order must not depend on clock ties.
      for (let i = 0; i < 5; i += 1) await addMessage("a", `m${i}`, i % 2 ? "assistant" : "user", `text ${i}`, 0);
      expect((await s.messages.listMessages({ conversationId: "a" })).map((m) => m.id)).toEqual(["m0", "m1", "m2", "m3", "m4"]);
      const stats = { promptTokens: 3, completionTokens: 2, cachedPromptTokens: 0, ttftMs: 5, prefillTokPerS: 600, decodeTokPerS: 20, totalMs: 60, stopReason: "eos" as const };
      expect(await s.messages.updateMessage({ id: "m1", patch: { content: "new", status: "stopped", stats } })).toBe(true);
      const m1 = await s.messages.getMessage({ id: "m1" });
      expect(m1).toMatchObject({ content: "new", status: "stopped", stats });
      // Deleting a message deletes the branch below it (m4 follows m3).
      expect(await s.messages.deleteMessages({ ids: ["m3"] })).toBe(1);
      expect((await s.messages.listMessages({ conversationId: "a" })).map((m) => m.id)).toEqual(["m0", "m1", "m2"]);
    });

    it("rejects a message for a conversation that does not exist (foreign key)", async () => {
      await expect(addMessage("nope", "m", "user", "x")).rejects.toSatisfy(mentions(/foreign key/i));
    });

    it("deleting a conversation deletes its messages", async () => {
      await seedConversation("a", "Chat", 0);
      await addMessage("a", "m1", "user", "hello");
      expect(await s.conversations.deleteConversation({ id: "a" })).toBe(true);
      expect(await s.conversations.deleteConversation({ id: "a" })).toBe(false);
      expect(await s.messages.listMessages({ conversationId: "a" })).toEqual([]);
      expect(await s.messages.getMessage({ id: "m1" })).toBeUndefined();
    });
  });

  describe("full-text search", () => {
    it("finds titles and message contents with a highlighted snippet, one hit per conversation", async () => {
      await seedConversation("a", "Cooking pasta", 0);
      await seedConversation("b", "Astronomy", 1000);
      await addMessage("a", "a1", "user", "How long should spaghetti boil?");
      await addMessage("a", "a2", "assistant", "Boil spaghetti for about nine minutes, then taste it.");
      await addMessage("b", "b1", "user", "What is a neutron star?");

      const byWord = await s.search.searchConversations({ query: "spaghetti", limit: 10 });
      expect(byWord).toHaveLength(1);
      expect(byWord[0].conversationId).toBe("a");
      expect(byWord[0].snippet).toContain("«spaghetti»");

      const byTitle = await s.search.searchConversations({ query: "astronomy", limit: 10 });
      expect(byTitle).toEqual([{ conversationId: "b", snippet: "«Astronomy»" }]);

      // Prefix search while typing, diacritics folded, several words all required.
      expect((await s.search.searchConversations({ query: "neut", limit: 10 })).map((h) => h.conversationId)).toEqual(["b"]);
      expect((await s.search.searchConversations({ query: "néutron STAR", limit: 10 })).map((h) => h.conversationId)).toEqual(["b"]);
      expect(await s.search.searchConversations({ query: "neutron spaghetti", limit: 10 })).toEqual([]);
    });

    it("returns matching conversations newest first, preferring a message snippet over the title", async () => {
      await seedConversation("old", "Rocket notes", 0);
      await seedConversation("new", "Garden", 1000);
      await seedConversation("none", "Unrelated", 2000);
      await addMessage("old", "o1", "user", "first stage");
      await addMessage("old", "o2", "assistant", "The rocket lifts off.");
      await addMessage("old", "o3", "user", "Another rocket question");
      await addMessage("new", "n1", "user", "a rocket-shaped flower bed");
      expect(await s.search.searchConversations({ query: "rocket", limit: 10 })).toEqual([
        { conversationId: "new", snippet: "a «rocket»-shaped flower bed" },
        { conversationId: "old", snippet: "The «rocket» lifts off." },
      ]);
      expect((await s.search.searchConversations({ query: "rocket", limit: 1 })).map((h) => h.conversationId)).toEqual(["new"]);
      await s.conversations.touchConversation({ id: "old", updatedAt: at(9000) });
      expect((await s.search.searchConversations({ query: "rocket", limit: 10 })).map((h) => h.conversationId)).toEqual(["old", "new"]);
    });

    it("looks past the most recent candidates whose only hits are replaced versions, to fill the limit", async () => {
      // Three newer conversations match only in a replaced answer; the oldest matches on its branch.
      for (const [i, id] of ["n1", "n2", "n3"].entries()) {
        await seedConversation(id, `Newer ${i}`, 1000 + i);
        await addMessage(id, `${id}q`, "user", "question");
        await addMessage(id, `${id}a`, "assistant", "an answer about otters");
        await s.messages.insertMessage({ message: { id: `${id}b`, conversationId: id, parentId: `${id}q`, role: "assistant", content: "a better answer", status: "complete", createdAt: at(2) } });
        await s.conversations.setActiveLeaf({ id, leafId: `${id}b` });
      }
      await seedConversation("old", "Older", 0);
      await addMessage("old", "oq", "user", "tell me about otters");
      // Candidates are checked `limit` at a time: with limit 1 the fourth check finds it.
      expect(await s.search.searchConversations({ query: "otters", limit: 1 })).toEqual([{ conversationId: "old", snippet: "tell me about «otters»" }]);
      expect((await s.search.searchConversations({ query: "otters", limit: 2 })).map((h) => h.conversationId)).toEqual(["old"]);
      // Back on the old version: it is found again, newest first.
      await s.conversations.setActiveLeaf({ id: "n2", leafId: "n2a" });
      expect((await s.search.searchConversations({ query: "otters", limit: 1 })).map((h) => h.conversationId)).toEqual(["n2"]);
    });

    it("treats FTS syntax in the query as plain words", async () => {
      await seedConversation("a", "Quotes", 0);
      await addMessage("a", "a1", "user", 'she said "NEAR" AND left: title*');
      for (const q of ['"', 'NEAR(', "title:x", "AND OR NOT", "*", "(((", "a\"b"]) {
        await expect(s.search.searchConversations({ query: q, limit: 10 })).resolves.toBeInstanceOf(Array);
      }
      expect((await s.search.searchConversations({ query: '"near" and', limit: 10 })).map((h) => h.conversationId)).toEqual(["a"]);
      expect(await s.search.searchConversations({ query: "?!…", limit: 10 })).toEqual([]);
    });

    it("stays in sync after rename, message update, delete and cascade delete", async () => {
      await seedConversation("a", "Old title", 0);
      await addMessage("a", "a1", "user", "banana bread recipe");
      await s.conversations.renameConversation({ id: "a", title: "Baking notes", updatedAt: at(1) });
      expect(await s.search.searchConversations({ query: "old", limit: 10 })).toEqual([]);
      expect(await s.search.searchConversations({ query: "baking", limit: 10 })).toHaveLength(1);

      await s.messages.updateMessage({ id: "a1", patch: { content: "sourdough starter" } });
      expect(await s.search.searchConversations({ query: "banana", limit: 10 })).toEqual([]);
      expect(await s.search.searchConversations({ query: "sourdough", limit: 10 })).toHaveLength(1);
      opened.checkSearchIndex();

      await s.messages.deleteMessages({ ids: ["a1"] });
      expect(await s.search.searchConversations({ query: "sourdough", limit: 10 })).toEqual([]);
      await addMessage("a", "a2", "user", "rye flour");
      await s.conversations.deleteConversation({ id: "a" });
      expect(await s.search.searchConversations({ query: "rye", limit: 10 })).toEqual([]);
      expect(await s.search.searchConversations({ query: "baking", limit: 10 })).toEqual([]);
      opened.checkSearchIndex();
    });

    it("a failed transaction leaves neither the row nor its index entry", async () => {
      await seedConversation("a", "Chat", 0);
      await expect(
        s.transaction(async (tx) => {
          await tx.messages.insertMessage({ message: { id: "x", conversationId: "a", role: "user", content: "zeppelin", status: "complete", createdAt: at(0) } });
          await tx.conversations.renameConversation({ id: "a", title: "Zeppelin", updatedAt: at(1) });
          throw new Error("rollback");
        }),
      ).rejects.toThrow("rollback");
      expect(await s.search.searchConversations({ query: "zeppelin", limit: 10 })).toEqual([]);
      expect((await s.conversations.getConversation({ id: "a" }))?.title).toBe("Chat");
      expect(await s.messages.getMessage({ id: "x" })).toBeUndefined();
      opened.checkSearchIndex();
    });
  });

  describe("concurrency, presets, token records", () => {
    it("concurrent writes: 12 transactions and 24 single writes at once all land, each conversation in order", async () => {
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          s.transaction(async (tx) => {
            await tx.conversations.createConversation({ id: `c${i}`, title: `Chat ${i}`, params: DEFAULT_GENERATION_PARAMS, createdAt: at(i) });
            let parentId: string | null = null;
            for (let k = 0; k < 3; k += 1) {
              const row = await tx.messages.insertMessage({
                message: { id: `c${i}-m${k}`, conversationId: `c${i}`, parentId, role: k % 2 ? "assistant" : "user", content: `message ${k} of ${i}`, status: "complete", createdAt: at(i) },
              });
              parentId = row.id;
            }
            await tx.conversations.setActiveLeaf({ id: `c${i}`, leafId: parentId });
          }),
        ),
      );
      // Many writers on the same rows at once (a streaming answer's partial saves from several answers).
      await Promise.all(
        Array.from({ length: 24 }, (_, n) => s.messages.updateMessage({ id: `c${n % 12}-m2`, patch: { content: `rewritten ${n}` } })),
      );
      const list = await s.conversations.listConversations({ limit: 100 });
      expect(list).toHaveLength(12);
      expect(list.every((c) => c.messageCount === 3)).toBe(true);
      for (let i = 0; i < 12; i += 1) {
        const rows = await s.messages.listMessages({ conversationId: `c${i}` });
        expect(rows.map((m) => m.id)).toEqual([`c${i}-m0`, `c${i}-m1`, `c${i}-m2`]);
        expect(rows[2]!.content).toMatch(/^rewritten \d+$/);
      }
      expect((await s.search.searchConversations({ query: "rewritten", limit: 100 })).length).toBe(12);
      opened.checkSearchIndex();
    });

    it("saves presets under unique names (saving again replaces the settings) and deletes them", async () => {
      const first = await s.presets.savePreset({ id: "p1", name: "Precise", params: { ...DEFAULT_GENERATION_PARAMS, temperature: 0 }, createdAt: at(0) });
      await s.presets.savePreset({ id: "p2", name: "Creative", params: { ...DEFAULT_GENERATION_PARAMS, temperature: 1.2 }, createdAt: at(1) });
      const replaced = await s.presets.savePreset({ id: "p3", name: "Precise", params: { ...DEFAULT_GENERATION_PARAMS, temperature: 0.1 }, createdAt: at(2) });
      expect(replaced).toMatchObject({ id: first.id, params: { temperature: 0.1 } });
      expect((await s.presets.listPresets()).map((p) => [p.name, p.params.temperature])).toEqual([["Precise", 0.1], ["Creative", 1.2]]);
      expect(await s.presets.deletePreset({ id: "p2" })).toBe(true);
      expect(await s.presets.deletePreset({ id: "p2" })).toBe(false);
    });

    it("stores token blobs byte for byte, replaces them, and drops them with their conversation", async () => {
      await seedConversation("a", "Chat", 0);
      await addMessage("a", "m1", "assistant", "hi");
      const blob = Buffer.from([0, 1, 2, 255, 128, 7]);
      await s.messageTokens.saveMessageTokens({ messageId: "m1", data: blob });
      expect(await s.messageTokens.getMessageTokens({ messageId: "m1" })).toEqual(blob);
      await s.messageTokens.saveMessageTokens({ messageId: "m1", data: Buffer.from([9]) });
      expect([...(await s.messageTokens.listMessageTokens({ messageIds: ["m1", "none"] }))]).toEqual([["m1", Buffer.from([9])]]);
      await s.conversations.deleteConversation({ id: "a" });
      expect(await s.messageTokens.getMessageTokens({ messageId: "m1" })).toBeUndefined();
    });
  });

  describe("export and import (chat layer)", () => {
    it("exports a conversation with its tree and imports it back as a new, searchable copy; a bad bundle imports nothing", async () => {
      await seedConversation("a", "Penguins", 0);
      await addMessage("a", "u1", "user", "Where do penguins live?");
      await addMessage("a", "a1", "assistant", "Mostly in the southern hemisphere.");
      const file = await exportConversation(s, { id: "a", format: "json" });
      const data = conversationExportSchema.parse(JSON.parse(file.body));
      const copy = await importConversation(s, { data });
      expect(copy.title).toBe("Penguins (imported)");
      expect(copy.messages.map((m) => [m.role, m.content])).toEqual([["user", "Where do penguins live?"], ["assistant", "Mostly in the southern hemisphere."]]);
      expect((await s.search.searchConversations({ query: "hemisphere", limit: 10 })).map((h) => h.conversationId).sort()).toEqual(["a", copy.id].sort());

      // The second conversation's row violates NOT NULL in the database: the first, already written, goes too.
      const bundle = JSON.parse((await exportAllConversations(s)).body) as ConversationsBundle;
      const broken = structuredClone(bundle);
      (broken.conversations[1]!.messages as unknown[]).push({ id: "x", parentId: null, role: "user", content: null, status: "complete", stats: null, params: null, createdAt: "x" });
      await expect(importBundle(s, { data: broken })).rejects.toThrow();
      expect(await s.conversations.listConversations({ limit: 10 })).toHaveLength(2);
      opened.checkSearchIndex();
    });
  });

  /**
   * Issue 20, item 3: a conversation of any length can be deleted. Messages chain through `parent_id`; a
   * cascade along that chain nests one level per message (SQLite stops at 1,000: "too many levels of
   * trigger recursion"), so the store deletes by conversation instead.
   */
  describe("deleting a long conversation", () => {
    async function seedChain(id: string, length: number): Promise<void> {
      const createdAt = new Date(Date.UTC(2026, 0, 1));
      await s.conversations.createConversation({ id, title: id, params: DEFAULT_GENERATION_PARAMS, createdAt });
      const messages = Array.from({ length }, (_, i) => ({
        id: `${id}-m${i}`,
        conversationId: id,
        parentId: i === 0 ? null : `${id}-m${i - 1}`,
        role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
        content: `message ${i}`,
        status: "complete" as const,
        createdAt,
      }));
      await s.transaction((tx) => tx.messages.insertMessages({ messages }));
      await s.messageTokens.saveMessageTokens({ messageId: `${id}-m1`, data: Buffer.from([1, 2, 3]) });
      await s.conversations.setActiveLeaf({ id, leafId: `${id}-m${length - 1}` });
    }

    it(`deletes a ${CHAIN}-message chain with its token records and search entries, and nothing else`, async () => {
      await seedChain("long", CHAIN);
      await seedChain("other", 3);
      expect(await s.conversations.deleteConversation({ id: "long" })).toBe(true);
      expect(await s.conversations.getConversation({ id: "long" })).toBeUndefined();
      expect(await s.messages.listMessages({ conversationId: "long" })).toHaveLength(0);
      expect(await s.messageTokens.getMessageTokens({ messageId: "long-m1" })).toBeUndefined();
      expect((await s.search.searchConversations({ query: "message", limit: 10 })).map((h) => h.conversationId)).toEqual(["other"]);
      expect((await s.messages.listMessages({ conversationId: "other" })).map((m) => m.parentId)).toEqual([null, "other-m0", "other-m1"]);
      expect(await s.messageTokens.getMessageTokens({ messageId: "other-m1" })).toBeDefined();
      opened.checkSearchIndex();
      expect(await s.conversations.deleteConversation({ id: "long" })).toBe(false);
    }, 120_000);

    it("inside a transaction that rolls back, the conversation stays whole", async () => {
      await seedChain("kept", 1_200);
      await expect(
        s.transaction(async (tx) => {
          await tx.conversations.deleteConversation({ id: "kept" });
          throw new Error("changed my mind");
        }),
      ).rejects.toThrow("changed my mind");
      const messages = await s.messages.listMessages({ conversationId: "kept" });
      expect(messages).toHaveLength(1_200);
      expect(messages.at(-1)!.parentId).toBe("kept-m1198");
    }, 120_000);
  });
});
