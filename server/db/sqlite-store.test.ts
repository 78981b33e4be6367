/** The SQLite store's async transactions: one at a time, and nobody else's statement joins them. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { openTempDb, type TempDb } from "./testing/temp-db";

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(() => t.dispose());

const conversation = (id: string) => ({ id, title: id, params: DEFAULT_GENERATION_PARAMS, createdAt: new Date(0) });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("sqlite store transactions", () => {
  it("a write issued while a transaction is open waits for it, and survives its rollback", async () => {
    const order: string[] = [];
    const failing = t.store.transaction(async (tx) => {
      await tx.conversations.createConversation(conversation("inside"));
      await pause(30); // another request's write arrives meanwhile
      order.push("rollback");
      throw new Error("rollback");
    });
    await pause(5);
    const outside = t.store.conversations.createConversation(conversation("outside")).then(() => order.push("outside written"));
    await expect(failing).rejects.toThrow("rollback");
    await outside;
    expect(order).toEqual(["rollback", "outside written"]);
    expect(await t.store.conversations.getConversation({ id: "inside" })).toBeUndefined();
    expect(await t.store.conversations.getConversation({ id: "outside" })).toBeDefined();
  });

  it("commits, nests as a savepoint, and refuses the outer store inside its own transaction", async () => {
    await t.store.transaction(async (tx) => {
      await tx.conversations.createConversation(conversation("kept"));
      await expect(
        tx.transaction(async (inner) => {
          await inner.conversations.createConversation(conversation("undone"));
          throw new Error("inner");
        }),
      ).rejects.toThrow("inner");
      await expect(t.store.conversations.getConversation({ id: "kept" })).rejects.toThrow(/inside its own transaction/);
    });
    expect((await t.store.conversations.listConversations({ limit: 10 })).map((c) => c.id)).toEqual(["kept"]);
  });
});
