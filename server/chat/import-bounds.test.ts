/**
 * Issue 20, item 1: everything an import can carry is bounded before it is allocated or stored. Token
 * blobs: at most 4,096 records, 5 alternatives, 8 MB inflated, ids inside the vocabulary; out of bounds →
 * 400 naming the field, nothing stored. A stored id the current model does not know never reaches it.
 */
import { deflateRawSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { conversationExportSchema, conversationsBundleSchema, MAX_BUNDLE_MESSAGES } from "@/lib/schemas/conversations";
import type { Store } from "@/server/db/store";
import { openTempDb, type TempDb } from "@/server/db/testing/temp-db";
import { parseImportBody } from "@/server/http/import-body";
import { ChatError } from "./chat-error";
import { importBundle, importConversation } from "./import-conversation";
import { branchPrefix } from "./message-tokens";
import { decodeTokenBlob, encodeTokenBlob, MAX_INFLATED_BYTES, MAX_RECORDED_TOKENS, TokenBlobError, type StoredToken } from "./token-blob";

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(() => t.dispose());

/** The blob layout's header (see token-blob.ts) followed by `body`, deflated: what a hand-made file can claim. */
function craftedBlob(count: number, topN: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt32LE(0x31525442, 0);
  header.writeUInt32LE(count, 4);
  header.writeUInt8(topN, 8);
  return deflateRawSync(Buffer.concat([header, body]));
}

const tokensOf = (ids: number[], alternatives = 5): StoredToken[] =>
  ids.map((id) => ({ id, text: `t${id}`, logprob: -1, rawLogprob: -1, top: Array.from({ length: alternatives }, (_, k) => ({ id: id + k, text: `t${id + k}`, logprob: -1 - k, rawLogprob: -1 - k })) }));

function exportWith(tokens: string) {
  const now = new Date().toISOString();
  return conversationExportSchema.parse({
    format: "bitnet-chat/conversation@2",
    title: "Crafted",
    createdAt: now,
    updatedAt: now,
    params: {},
    messages: [
      { id: "q", parentId: null, role: "user", content: "hi", createdAt: now },
      { id: "a", parentId: "q", role: "assistant", content: "t1", createdAt: now, tokens },
    ],
  });
}

async function refusal(work: Promise<unknown>): Promise<ChatError> {
  const error = await work.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ChatError);
  return error as ChatError;
}

describe("token blob bounds", () => {
  it("refuses a blob that claims more records or alternatives than an answer can have, before reading them", () => {
    expect(() => decodeTokenBlob(craftedBlob(1_000_000, 5))).toThrow(/1000000 records: an answer has at most 4096/);
    expect(() => decodeTokenBlob(craftedBlob(10, 20))).toThrow(/20 alternatives per token: at most 5/);
    expect(() => decodeTokenBlob(encodeTokenBlob(tokensOf([1, 2, 3])))).not.toThrow();
  });

  it("stops inflating a compression bomb at the bound (64 MB of zeros in a ~64 KB blob)", () => {
    const bomb = craftedBlob(MAX_RECORDED_TOKENS, 5, Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    const before = process.memoryUsage().arrayBuffers;
    expect(() => decodeTokenBlob(bomb)).toThrow(new TokenBlobError(`inflates to more than ${MAX_INFLATED_BYTES} bytes`));
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(2 * MAX_INFLATED_BYTES);
  });

  it("checks chosen and alternative ids against the vocabulary when given", () => {
    const blob = encodeTokenBlob(tokensOf([10, 20], 2));
    expect(decodeTokenBlob(blob, { vocabSize: 22 })).toHaveLength(2);
    expect(() => decodeTokenBlob(blob, { vocabSize: 21 })).toThrow(/token id 21 is outside the model's vocabulary \(0…20\)/);
    expect(() => decodeTokenBlob(encodeTokenBlob(tokensOf([-3], 0)), { vocabSize: 100 })).toThrow(/token id -3/);
  });
});

describe("importing token records", () => {
  it("answers 400 naming the field for out-of-bounds records, and stores nothing", async () => {
    const tooMany = craftedBlob(100_000, 5).toString("base64");
    const error = await refusal(importConversation(t.store, { data: exportWith(tooMany) }));
    expect(error).toMatchObject({ kind: "invalid", field: "messages[1].tokens" });
    expect(error.message).toMatch(/100000 records/);

    const outside = encodeTokenBlob(tokensOf([5, 900], 1)).toString("base64");
    expect(await refusal(importConversation(t.store, { data: exportWith(outside), vocabSize: 500 }))).toMatchObject({ field: "messages[1].tokens", message: expect.stringMatching(/token id 900/) });
    // No model loaded: still bounded by the largest common vocabulary.
    const huge = encodeTokenBlob(tokensOf([300_000], 0)).toString("base64");
    expect(await refusal(importConversation(t.store, { data: exportWith(huge) }))).toMatchObject({ message: expect.stringMatching(/token id 300000/) });

    const now = new Date().toISOString();
    const good = exportWith(encodeTokenBlob(tokensOf([5, 6], 1)).toString("base64"));
    const bundle = conversationsBundleSchema.parse({ format: "bitnet-chat/conversations@1", exportedAt: now, conversations: [good, exportWith(tooMany)] });
    expect(await refusal(importBundle(t.store, { data: bundle }))).toMatchObject({ field: "conversations[1].messages[1].tokens" });
    expect(await t.store.conversations.listConversations({ limit: 10 })).toEqual([]);
    expect(t.sqlite.prepare("SELECT count(*) AS n FROM message_tokens").get()).toEqual({ n: 0 });

    await importConversation(t.store, { data: good, vocabSize: 500 });
    expect(await t.store.conversations.listConversations({ limit: 10 })).toHaveLength(1);
  });

  it("caps a bundle's messages together", () => {
    const now = new Date().toISOString();
    const messages = Array.from({ length: 10_000 }, () => ({ role: "user", content: "x", createdAt: now }));
    const conversation = { format: "bitnet-chat/conversation@1", title: "t", createdAt: now, updatedAt: now, params: {}, messages };
    const count = Math.floor(MAX_BUNDLE_MESSAGES / messages.length) + 1;
    const result = conversationsBundleSchema.safeParse({ format: "bitnet-chat/conversations@1", exportedAt: now, conversations: Array(count).fill(conversation) });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ["conversations"], message: expect.stringMatching(/at most 100000/) });
  });

  it("the import route's sliced parse names the conversation at fault and stops at the message cap", async () => {
    const now = new Date().toISOString();
    const messages = Array.from({ length: 10_000 }, () => ({ role: "user", content: "x", createdAt: now }));
    const conversation = { format: "bitnet-chat/conversation@1", title: "t", createdAt: now, updatedAt: now, params: {}, messages };
    const bundle = (conversations: unknown[]) => ({ format: "bitnet-chat/conversations@1", exportedAt: now, conversations });
    await expect(parseImportBody(bundle(Array(11).fill(conversation)))).rejects.toMatchObject({ status: 400, field: "conversations", message: expect.stringMatching(/110000 messages/) });
    const bad = { ...conversation, messages: [{ role: "robot", content: "x", createdAt: now }] };
    await expect(parseImportBody(bundle([conversation, bad]))).rejects.toMatchObject({ status: 400, field: "conversations.1.messages.0.role" });
    const parsed = await parseImportBody(bundle([conversation, conversation]));
    expect(parsed.format === "bitnet-chat/conversations@1" && parsed.conversations.map((c) => c.messages.length)).toEqual([10_000, 10_000]);
  });
});

describe("a bundle written in groups", () => {
  /** `store` whose message inserts fail for the conversation holding `poison` (a disk error, say). */
  function failingOn(store: Store, poison: string): Store {
    const messages = { ...store.messages, insertMessages: async (args: Parameters<Store["messages"]["insertMessages"]>[0]) => {
      if (args.messages.some((m) => m.content === poison)) throw new Error("disk full");
      return store.messages.insertMessages(args);
    } };
    return { ...store, messages, transaction: (fn) => store.transaction((tx) => fn(failingOn(tx, poison))) } as Store;
  }

  it("removes the groups already committed when a later conversation fails: all or nothing", async () => {
    const now = new Date().toISOString();
    const conversation = (i: number) => ({ format: "bitnet-chat/conversation@1" as const, title: `Group ${i}`, createdAt: now, updatedAt: now, params: {}, messages: Array.from({ length: 10 }, (_, j) => ({ role: "user" as const, content: `c${i} m${j} ${"word ".repeat(20)}`, status: "complete" as const, stats: null, createdAt: now })) });
    const conversations = Array.from({ length: 150 }, (_, i) => conversation(i));
    const data = conversationsBundleSchema.parse({ format: "bitnet-chat/conversations@1", exportedAt: now, conversations });
    const last = conversations.at(-1)!.messages[0]!.content;
    const commits: number[] = [];
    const counting = { ...t.store, transaction: async <T,>(fn: (tx: Store) => Promise<T>) => { const r = await t.store.transaction(fn); commits.push(1); return r; } } as Store;
    await expect(importBundle(failingOn(counting, last), { data })).rejects.toThrow("disk full");
    expect(commits.length, "written in several transactions").toBeGreaterThan(1);
    expect(await t.store.conversations.listConversations({ limit: 500 })).toEqual([]);
    expect(t.sqlite.prepare("SELECT count(*) AS n FROM messages").get()).toEqual({ n: 0 });
    expect((await importBundle(t.store, { data })).map((c) => c.title)).toEqual(conversations.map((c) => c.title));
  });
});

describe("branching from stored records", () => {
  it("refuses ids the loaded model does not know (the model may have changed since the import)", async () => {
    const data = exportWith(encodeTokenBlob(tokensOf([5, 6, 700], 2)).toString("base64"));
    const conversation = await importConversation(t.store, { data, vocabSize: 1_000 });
    const messageId = conversation.messages[1]!.id;
    const at = (tokenIndex: number, tokenId: number, vocabSize?: number) => branchPrefix(t.store, { conversationId: conversation.id, messageId, tokenIndex, tokenId, vocabSize });
    expect((await at(1, 7, 701)).ids).toEqual([5, 7]);
    expect(await refusal(at(2, 701, 701))).toMatchObject({ kind: "invalid", field: "tokenId", message: expect.stringMatching(/outside the model's vocabulary/) });
    expect(await refusal(at(2, 700, 600))).toMatchObject({ field: "tokenId" });
    expect(await refusal(at(2, 700, 6))).toMatchObject({ field: "tokenIndex", message: expect.stringMatching(/token 1 \(id 6\)/) });
  });
});
