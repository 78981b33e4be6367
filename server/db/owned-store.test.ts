/**
 * One account's view of the store, on SQLite and PostgreSQL: lists, search, presets, messages, token records
 * and the efficiency query see only the account's rows; writes through another account's ids change nothing;
 * the first admin receives the rows written without accounts; deleting an account keeps or drops its data.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { createUser, deleteUser } from "@/server/auth/users";
import { ownedStore } from "./owned-store";
import type { Store } from "./store";
import { dialects, type OpenedStore } from "./testing/dialects";

describe.each(dialects("owned"))("owned store on $name", (dialect) => {
  let opened: OpenedStore;
  let s: Store;
  beforeAll(() => dialect.setUp());
  afterAll(() => dialect.tearDown());
  beforeEach(async () => {
    opened = await dialect.open();
    s = opened.store;
  });
  afterEach(() => opened.dispose());

  async function conversationWith(store: Store, id: string, text: string): Promise<void> {
    await store.conversations.createConversation({ id, title: `about ${text}`, params: DEFAULT_GENERATION_PARAMS, createdAt: new Date() });
    await store.messages.insertMessage({ message: { id: `${id}-q`, conversationId: id, parentId: null, role: "user", content: text, createdAt: new Date() } });
    await store.messages.insertMessage({
      message: { id: `${id}-a`, conversationId: id, parentId: `${id}-q`, role: "assistant", content: `${text}!`, stats: { tokens: 1 } as never, createdAt: new Date() },
    });
    await store.messageTokens.saveMessageTokens({ messageId: `${id}-a`, data: Buffer.from([1, 2, 3]) });
  }

  it("keeps accounts apart in every query, and another account's ids behave as missing ones", async () => {
    await conversationWith(s, "old", "history"); // written before accounts
    const alice = await createUser(s, { name: "Alice", password: "alice password", role: "admin" });
    const bob = await createUser(s, { name: "bob", password: "bob password", role: "user" });
    expect(alice.name).toBe("alice");
    const a = ownedStore(s, alice.id);
    const b = ownedStore(s, bob.id);
    await conversationWith(b, "bobs", "zebra history");
    await a.presets.savePreset({ id: "pa", name: "Same", params: DEFAULT_GENERATION_PARAMS, createdAt: new Date() });
    await b.presets.savePreset({ id: "pb", name: "Same", params: DEFAULT_GENERATION_PARAMS, createdAt: new Date() });

    expect((await a.conversations.listConversations({ limit: 10 })).map((c) => c.id)).toEqual(["old"]);
    expect((await b.conversations.listConversations({ limit: 10 })).map((c) => c.id)).toEqual(["bobs"]);
    expect((await a.search.searchConversations({ query: "history", limit: 10 })).map((h) => h.conversationId)).toEqual(["old"]);
    expect((await b.search.searchConversations({ query: "history", limit: 10 })).map((h) => h.conversationId)).toEqual(["bobs"]);
    expect((await s.search.searchConversations({ query: "history", limit: 10 })).map((h) => h.conversationId).sort()).toEqual(["bobs", "old"]);
    expect((await a.presets.listPresets()).map((p) => p.id)).toEqual(["pa"]);
    expect((await a.messages.listRecentAnswers({ limit: 10 })).map((m) => m.id)).toEqual(["old-a"]);
    expect((await a.conversations.listConversationsByIds({ ids: ["old", "bobs"] })).map((c) => c.id)).toEqual(["old"]);

    // Bob through Alice's ids: nothing to see, nothing changes.
    expect(await b.conversations.getConversation({ id: "old" })).toBeUndefined();
    expect(await b.conversations.getConversationSummary({ id: "old" })).toBeUndefined();
    expect(await b.messages.listMessages({ conversationId: "old" })).toEqual([]);
    expect(await b.messages.getMessage({ id: "old-a" })).toBeUndefined();
    expect(await b.messageTokens.getMessageTokens({ messageId: "old-a" })).toBeUndefined();
    expect((await b.messageTokens.listMessageTokens({ messageIds: ["old-a", "bobs-a"] })).size).toBe(1);
    expect(await b.conversations.renameConversation({ id: "old", title: "x", updatedAt: new Date() })).toBe(false);
    expect(await b.messages.updateMessage({ id: "old-a", patch: { content: "x" } })).toBe(false);
    expect(await b.messages.deleteMessages({ ids: ["old-a"] })).toBe(0);
    expect(await b.presets.deletePreset({ id: "pa" })).toBe(false);
    expect(await b.conversations.deleteConversation({ id: "old" })).toBe(false);
    await expect(b.messages.insertMessage({ message: { id: "x", conversationId: "old", parentId: null, role: "user", content: "x", createdAt: new Date() } })).rejects.toThrow();
    expect((await a.messages.listMessages({ conversationId: "old" })).map((m) => m.content)).toEqual(["history", "history!"]);
    expect((await a.conversations.getConversation({ id: "old" }))?.title).toBe("about history");
    // Inside a transaction too.
    expect(await b.transaction((tx) => tx.conversations.getConversation({ id: "old" }))).toBeUndefined();
  });

  it("deleting an account drops its data, or hands it to another account", async () => {
    const alice = await createUser(s, { name: "alice", password: "alice password", role: "admin" });
    const bob = await createUser(s, { name: "bob", password: "bob password", role: "user" });
    const carol = await createUser(s, { name: "carol", password: "carol password", role: "user" });
    await conversationWith(ownedStore(s, bob.id), "bobs", "kept");
    await conversationWith(ownedStore(s, carol.id), "carols", "dropped");
    await deleteUser(s, { id: bob.id, keepDataFor: alice.id });
    await deleteUser(s, { id: carol.id });
    expect((await ownedStore(s, alice.id).conversations.listConversations({ limit: 10 })).map((c) => c.id)).toEqual(["bobs"]);
    expect(await s.conversations.getConversation({ id: "carols" })).toBeUndefined();
    expect(await s.messages.getMessage({ id: "carols-a" })).toBeUndefined();
    expect((await s.users.listUsers()).map((u) => u.name)).toEqual(["alice"]);
    await expect(deleteUser(s, { id: alice.id })).rejects.toThrow(/last active admin/);
  });
});
