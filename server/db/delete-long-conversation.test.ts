/**
 * Issue 20, item 3: a conversation of any length can be deleted. Messages chain through `parent_id`; a
 * cascade along that chain nests one level per message (SQLite stops at 1,000: "too many levels of
 * trigger recursion"), so the store deletes by conversation instead.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import type { Store } from "./store";
import { dialects, type OpenedStore } from "./testing/dialects";

const CHAIN = 5_000;

describe.each(dialects("delete_long"))("deleting a long conversation on $name", (dialect) => {
  let opened: OpenedStore;
  let s: Store;
  beforeAll(() => dialect.setUp());
  afterAll(() => dialect.tearDown());
  beforeEach(async () => {
    opened = await dialect.open();
    s = opened.store;
  });
  afterEach(() => opened.dispose());

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
