import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatRequestSchema } from "@/lib/schemas/chat";
import { conversationExportSchema, importBodySchema, type ConversationExport } from "@/lib/schemas/conversations";
import { checkFtsIntegrity, openTempDb, tableCounts, type TempDb } from "@/server/db/testing/temp-db";
import { createConversation, deleteConversation, getConversation, listConversations, updateConversation } from "./conversations";
import { exportAllConversations, exportConversation, safeFilename } from "./export-conversation";
import { importBundle, importConversation } from "./import-conversation";
import { sendMessage } from "./send-message";
import { collectEvents } from "./testing/collect";
import { createTestEngine } from "@/server/engine/testing/test-engine";

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(() => t.dispose());

async function chat(content: string, answer: string, conversationId?: string): Promise<string> {
  const { engine } = createTestEngine({ answer });
  const result = await sendMessage({ db: t.store, engine, request: chatRequestSchema.parse({ content, conversationId }), signal: new AbortController().signal });
  await collectEvents(result.events);
  return result.conversationId;
}

describe("conversation use cases", () => {
  it("lists newest first, searches with snippets, renames, pins, deletes", async () => {
    const a = await chat("tell me about giraffes", "Giraffes are tall.");
    const b = await chat("and penguins?", "Penguins swim.");
    expect((await listConversations(t.store, { limit: 50 })).map((c) => c.id)).toEqual([b, a]);
    expect((await listConversations(t.store, { limit: 50 }))[0]).toMatchObject({ title: "and penguins?", messageCount: 2 });

    const hits = await listConversations(t.store, { q: "tall", limit: 50 });
    expect(hits).toEqual([expect.objectContaining({ id: a, snippet: "Giraffes are «tall»." })]);

    // Renaming and changing settings are not activity: the order and updatedAt stay.
    const before = (await getConversation(t.store, { id: a })).updatedAt;
    const renamed = await updateConversation(t.store, { id: a, title: "Zoo notes" });
    expect(renamed.title).toBe("Zoo notes");
    expect(renamed.updatedAt).toBe(before);
    expect((await listConversations(t.store, { q: "zoo", limit: 50 })).map((c) => c.id)).toEqual([a]);
    const withParams = await updateConversation(t.store, { id: a, params: { temperature: 1.5 } });
    expect(withParams.params.temperature).toBe(1.5);
    expect(withParams.params.topK).toBe(40);
    expect(withParams.updatedAt).toBe(before);
    expect((await listConversations(t.store, { limit: 50 })).map((c) => c.id)).toEqual([b, a]);

    // Pinned conversations come first, without being "updated".
    const pinned = await updateConversation(t.store, { id: a, pinned: true });
    expect(pinned).toMatchObject({ pinned: true, updatedAt: before });
    expect((await listConversations(t.store, { limit: 50 })).map((c) => [c.id, c.pinned])).toEqual([[a, true], [b, false]]);
    expect((await listConversations(t.store, { limit: 1 })).map((c) => c.id)).toEqual([a]);
    await updateConversation(t.store, { id: a, pinned: false });
    expect((await listConversations(t.store, { limit: 50 })).map((c) => c.id)).toEqual([b, a]);

    await deleteConversation(t.store, { id: a });
    expect(await listConversations(t.store, { q: "giraffes", limit: 50 })).toEqual([]);
    await expect(getConversation(t.store, { id: a })).rejects.toThrow(expect.objectContaining({ kind: "not_found" }));
    await expect(deleteConversation(t.store, { id: a })).rejects.toThrow(expect.objectContaining({ kind: "not_found" }));
    await expect(updateConversation(t.store, { id: a, title: "x" })).rejects.toThrow(expect.objectContaining({ kind: "not_found" }));
    checkFtsIntegrity(t);
  });

  it("creates an empty conversation with default params", async () => {
    const created = await createConversation(t.store, { params: { maxNewTokens: 5 } });
    expect(created).toMatchObject({ title: "New chat", messageCount: 0, messages: [] });
    expect(created.params.maxNewTokens).toBe(5);
    expect((await getConversation(t.store, { id: created.id })).id).toBe(created.id);
  });
});

/** Import gives new ids: compare exports with each id replaced by its message's position. */
function withPositionIds(data: ConversationExport): unknown {
  if (data.format !== "bitnet-chat/conversation@2") return data;
  const position = new Map(data.messages.map((m, i) => [m.id, `#${i}`]));
  const at = (id: string | null) => (id === null ? null : position.get(id));
  return { ...data, activeLeafId: at(data.activeLeafId), messages: data.messages.map((m) => ({ ...m, id: at(m.id), parentId: at(m.parentId) })) };
}

describe("export and import", () => {
  it("exports Markdown with every message and a safe file name", async () => {
    const id = await chat("Write <b>bold</b> & \"quoted\" text", "Sure: **bold**");
    const file = await exportConversation(t.store, { id, format: "md" });
    expect(file.contentType).toMatch(/^text\/markdown/);
    expect(file.filename).toBe("write-bboldb-quoted-text.md");
    expect(file.body).toContain('Write <b>bold</b> & "quoted" text');
    expect(file.body).toContain("Sure: **bold**");
    expect(file.body).toMatch(/## User[\s\S]*## Assistant/);
  });

  it("makes file names header- and file-system-safe", async () => {
    expect(safeFilename('a"b\r\nc/../d; e', "md")).toBe("ab-cd-e.md");
    expect(safeFilename("日本語", "json")).toBe("conversation.json");
    expect(safeFilename("Café crème", "md")).toBe("cafe-creme.md");
  });

  it("round-trips through the JSON export as a new, searchable conversation", async () => {
    const id = await chat("first", "one");
    await chat("second", "two", id);
    const file = await exportConversation(t.store, { id, format: "json" });
    const parsed = conversationExportSchema.parse(JSON.parse(file.body));
    expect(parsed.messages.map((m) => m.content)).toEqual(["first", "one", "second", "two"]);

    // Each answer keeps the settings it was generated with.
    expect(parsed.format === "bitnet-chat/conversation@2" && parsed.messages[1]!.params).toMatchObject({ temperature: expect.any(Number), maxNewTokens: expect.any(Number) });

    const imported = await importConversation(t.store, { data: parsed });
    expect(imported.id).not.toBe(id);
    // A copy of a conversation that is still here is marked "(imported)"; otherwise the export round-trips exactly.
    expect(imported.title).toBe(`${parsed.title} (imported)`);
    const again = conversationExportSchema.parse(JSON.parse((await exportConversation(t.store, { id: imported.id, format: "json" })).body));
    expect(withPositionIds(again)).toEqual(withPositionIds({ ...parsed, title: `${parsed.title} (imported)` }));
    expect((await listConversations(t.store, { q: "second", limit: 10 })).map((c) => c.id).sort()).toEqual([id, imported.id].sort());
    expect((await importConversation(t.store, { data: { ...parsed, title: "Another title" } })).title).toBe("Another title");
    checkFtsIntegrity(t);
  });

  it("exports every conversation in one file and imports it back, all or nothing", async () => {
    const a = await chat("alpha question", "alpha answer");
    const b = await chat("beta question", "beta answer");
    const file = await exportAllConversations(t.store, new Date("2026-11-30T10:00:00Z"));
    expect(file.filename).toBe("bitnet-chat-2026-11-30.json");
    const bundle = importBodySchema.parse(JSON.parse(file.body));
    expect(bundle.format).toBe("bitnet-chat/conversations@1");
    if (bundle.format !== "bitnet-chat/conversations@1") return;
    expect(bundle.conversations.map((c) => c.messages[0]!.content)).toEqual(["beta question", "alpha question"]);

    await deleteConversation(t.store, { id: a });
    const imported = await importBundle(t.store, { data: bundle });
    expect(imported.map((c) => c.title)).toEqual([`${(await getConversation(t.store, { id: b })).title} (imported)`, "alpha question"]);
    expect(tableCounts(t)).toEqual({ conversations: 3, messages: 6 });

    const broken = structuredClone(bundle);
    (broken.conversations[1]!.messages as unknown[]).push({ role: "user", content: null, status: "complete", stats: null, params: null, createdAt: "x" });
    await expect(importBundle(t.store, { data: broken })).rejects.toThrow();
    expect(tableCounts(t)).toEqual({ conversations: 3, messages: 6 });
  });

  it("an import that fails midway writes nothing", async () => {
    const data = conversationExportSchema.parse({
      format: "bitnet-chat/conversation@1",
      title: "Broken",
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
      params: {},
      messages: [{ role: "user", content: "ok", createdAt: "2026-01-01T00:00:00Z" }],
    });
    // The second row violates NOT NULL on content: the failure comes after the conversation and first message were inserted.
    (data.messages as unknown[]).push({ role: "user", content: null, status: "complete", stats: null, createdAt: "x" });
    await expect(importConversation(t.store, { data })).rejects.toThrow();
    expect(tableCounts(t)).toEqual({ conversations: 0, messages: 0 });
  });

  it("clamps future timestamps to now and refuses negative, huge or non-finite stats", async () => {
    const stats = { promptTokens: 5, completionTokens: 2, ttftMs: 10, prefillTokPerS: 50, decodeTokPerS: 20, totalMs: 30, stopReason: "eos" };
    const file = (messageStats: object) => ({
      format: "bitnet-chat/conversation@1",
      title: "From the future",
      createdAt: "9999-01-01T00:00:00Z",
      updatedAt: "9999-12-31T00:00:00Z",
      params: {},
      messages: [{ role: "assistant", content: "hi", stats: messageStats, createdAt: "9999-06-01T00:00:00Z" }],
    });
    const before = Date.now();
    const imported = await importConversation(t.store, { data: conversationExportSchema.parse(file(stats)) });
    for (const date of [imported.createdAt, imported.updatedAt, imported.messages[0]!.createdAt]) {
      expect(Date.parse(date)).toBeGreaterThanOrEqual(before - 1);
      expect(Date.parse(date)).toBeLessThanOrEqual(Date.now());
    }
    for (const bad of [
      { decodeTokPerS: 1e308 },
      { ttftMs: -5 },
      { promptTokens: -1 },
      { totalMs: Number.POSITIVE_INFINITY },
      { draftTokens: -3 },
      { acceptedDraftTokens: 1e15 },
    ]) {
      const result = conversationExportSchema.safeParse(file({ ...stats, ...bad }));
      expect(result.success, JSON.stringify(bad)).toBe(false);
    }
  });
});
