/**
 * `npm run db:copy-to-postgres`: a SQLite store with versions, branches, a pin, a replay verdict, token
 * records and a preset, copied into an empty PostgreSQL database, reads back identically through the chat
 * layer on PostgreSQL; a second copy into the now non-empty database is refused and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/server/auth/users";
import { ownedStore } from "../owned-store";
import { chatRequestSchema, type ChatRequest } from "@/lib/schemas/chat";
import { getConversation, listConversations, updateConversation } from "@/server/chat/conversations";
import { getMessageTokens } from "@/server/chat/message-tokens";
import { listPresets, savePreset } from "@/server/chat/presets";
import { sendMessage } from "@/server/chat/send-message";
import { collectEvents, eventOf } from "@/server/chat/testing/collect";
import { createTestEngine } from "@/server/engine/testing/test-engine";
import { openTempDb, type TempDb } from "../testing/temp-db";
import { postgresAvailable, startPostgres, type PostgresServer } from "../testing/postgres-server";
import type { Store } from "../store";
import { copySqliteToPostgres, TargetNotEmptyError } from "../copy-to-postgres";
import { openPgStore } from "./pg-store";

describe.runIf(postgresAvailable())("copying a SQLite store into PostgreSQL", () => {
  let server: PostgresServer;
  let t: TempDb;
  beforeAll(async () => {
    server = await startPostgres();
    t = openTempDb();
  });
  afterAll(() => {
    t?.dispose();
    return server?.dispose();
  });

  async function send(store: Store, answer: string, body: ChatRequest): Promise<{ conversationId: string; messageId: string }> {
    const started = await sendMessage({ db: store, engine: createTestEngine({ answer }).engine, request: chatRequestSchema.parse(body), signal: new AbortController().signal });
    const done = eventOf(await collectEvents(started.events), "done");
    return { conversationId: started.conversationId, messageId: done.data.messageId };
  }

  it("keeps every conversation, version, setting, token record and preset; refuses a second copy", async () => {
    // One conversation with two turns, a regenerated answer and a replay of it; another pinned and renamed.
    const first = await send(t.store, "Ternary weights are -1, 0 and 1.", { content: "What are ternary weights?", params: { temperature: 0.7 } });
    await send(t.store, "They are small.", { conversationId: first.conversationId, content: "Why are they fast?" });
    const regenerated = await send(t.store, "They need no multiplications.", { conversationId: first.conversationId, mode: "regenerate" });
    await send(t.store, "They need no multiplications.", { conversationId: first.conversationId, mode: "replay", messageId: regenerated.messageId });
    const second = await send(t.store, "Bonjour !", { content: "Say hello in French" });
    await updateConversation(t.store, { id: second.conversationId, title: "French", pinned: true });
    await savePreset(t.store, { name: "Precise", params: { temperature: 0.2, topP: 0.9, topK: 40, maxNewTokens: 256, repetitionPenalty: 1.1, systemPrompt: "Be exact.", seed: null } });
    // The first admin receives everything written before accounts; the copy keeps the account and the owners.
    const admin = await createUser(t.store, { name: "alice", password: "alice password", role: "admin" });

    const url = await server.createDatabase("bitnet_copy");
    const pg = openPgStore(url, { poolSize: 2 });
    try {
      await pg.store.ping();
      const copied = await copySqliteToPostgres(t.db, pg.pool);
      expect(copied).toEqual({ conversations: 2, messages: 8, tokenRecords: 5, presets: 1, users: 1 });
      expect(await pg.store.users.getUserByName({ name: "alice" })).toEqual(await t.store.users.getUserByName({ name: "alice" }));
      const ids = async (store: Store) => (await listConversations(ownedStore(store, admin.id), { limit: 10 })).map((c) => c.id).sort();
      expect(await ids(pg.store)).toEqual([first.conversationId, second.conversationId].sort());
      expect(await listPresets(ownedStore(pg.store, admin.id))).toHaveLength(1);

      expect(await listConversations(pg.store, { limit: 10 })).toEqual(await listConversations(t.store, { limit: 10 }));
      for (const id of [first.conversationId, second.conversationId]) {
        const there = await getConversation(pg.store, { id });
        expect(there).toEqual(await getConversation(t.store, { id }));
      }
      const shown = await getConversation(pg.store, { id: first.conversationId });
      expect(shown.messages.at(-1)).toMatchObject({ siblings: { count: 3, index: 2 }, replay: { of: regenerated.messageId, identical: true } });
      expect(await getMessageTokens(pg.store, { conversationId: first.conversationId, messageId: regenerated.messageId })).toEqual(
        await getMessageTokens(t.store, { conversationId: first.conversationId, messageId: regenerated.messageId }),
      );
      expect(await listPresets(pg.store)).toEqual(await listPresets(t.store));
      // PostgreSQL's own full-text index covers the copied text.
      expect((await listConversations(pg.store, { q: "multiplications", limit: 5 })).map((c) => c.id)).toEqual([first.conversationId]);

      await expect(copySqliteToPostgres(t.db, pg.pool)).rejects.toThrow(TargetNotEmptyError);
      expect((await listConversations(pg.store, { limit: 10 })).length).toBe(2);
    } finally {
      await pg.close();
    }
  });
});
