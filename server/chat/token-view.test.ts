/** The token view's server side on the tiny ONNX model: records stored per answer, branching from an alternative, export/import. */
import { describe, expect, it } from "vitest";
import { chatRequestSchema, type ChatRequest } from "@/lib/schemas/chat";
import { conversationExportSchema } from "@/lib/schemas/conversations";
import * as messagesRepo from "@/server/db/messages-repo";
import { ChatError } from "./chat-error";
import { getConversation } from "./conversations";
import { exportConversation } from "./export-conversation";
import { importConversation } from "./import-conversation";
import { getMessageTokens } from "./message-tokens";
import { sendMessage } from "./send-message";
import { tinyModelSuite } from "./testing/tiny-model";
import { collectEvents, eventOf, textOf } from "./testing/collect";

const tiny = tinyModelSuite();

const send = (body: ChatRequest) => sendMessage({ db: tiny.t.store, engine: tiny.engine, request: chatRequestSchema.parse(body), signal: new AbortController().signal });

async function greedyAnswer(): Promise<{ conversationId: string; messageId: string; content: string }> {
  const first = await send({ content: "Tell me about tokens.", params: { maxNewTokens: 12, temperature: 0, seed: 1 } });
  const events = await collectEvents(first.events);
  return { conversationId: first.conversationId, messageId: eventOf(events, "done").data.messageId, content: textOf(events) };
}

describe("token records of an answer", () => {
  it("are stored with the answer: one per token, their texts make the answer, greedy's choice is the top alternative", async () => {
    const { conversationId, messageId, content } = await greedyAnswer();
    const { tokens } = await getMessageTokens(tiny.t.store, { conversationId, messageId });
    expect(tokens).toHaveLength(12);
    expect(tokens.map((x) => x.text).join("")).toBe(content);
    for (const token of tokens) {
      expect(token.top).toHaveLength(5);
      expect(token.top[0]!.id).toBe(token.id);
      expect(token.logprob).toBeLessThanOrEqual(0);
      for (const alt of token.top) expect(alt.logprob!).toBeLessThanOrEqual(token.logprob! + 1e-3);
    }
    await expect(getMessageTokens(tiny.t.store, { conversationId: "nope", messageId })).rejects.toThrow(ChatError);
  });

  it("branching at token k keeps tokens 0..k-1 as ids, forces token k and continues: a new version of the answer", async () => {
    const { conversationId, messageId } = await greedyAnswer();
    const original = (await getMessageTokens(tiny.t.store, { conversationId, messageId })).tokens;
    const k = 5;
    const alternative = original[k]!.top.find((a) => a.id !== original[k]!.id)!;
    const branch = await send({ conversationId, mode: "branch", messageId, tokenIndex: k, tokenId: alternative.id, params: { maxNewTokens: 6 } });
    const events = await collectEvents(branch.events);
    const done = eventOf(events, "done");
    expect(done.data.stats.completionTokens).toBe(6); // generated after the forced start
    const branched = (await getMessageTokens(tiny.t.store, { conversationId, messageId: done.data.messageId })).tokens;
    expect(branched.slice(0, k).map((x) => x.id)).toEqual(original.slice(0, k).map((x) => x.id));
    expect(branched[k]!.id).toBe(alternative.id);
    expect(branched[k]!.top.map((a) => a.id)).toEqual(original[k]!.top.map((a) => a.id));
    expect(branched).toHaveLength(k + 1 + 6);
    // A sibling of the original (same question), shown now; its text starts with the kept text.
    const rows = messagesRepo.listMessages(tiny.t.db, { conversationId });
    const row = rows.find((r) => r.id === done.data.messageId)!;
    expect(row.parentId).toBe(rows.find((r) => r.id === messageId)!.parentId);
    const shown = await getConversation(tiny.t.store, { id: conversationId });
    expect(shown.messages.at(-1)).toMatchObject({ id: row.id, siblings: { count: 2, index: 1 } });
    expect(row.content).toBe(textOf(events));
    expect(row.content.startsWith(original.slice(0, k).map((x) => x.text).join(""))).toBe(true);
  });

  it("a continued answer's records are the first run's followed by the continuation's, also when saved token by token as they stream", async () => {
    const { conversationId, messageId, content } = await greedyAnswer();
    const before = (await getMessageTokens(tiny.t.store, { conversationId, messageId })).tokens;
    // Partial saves after every token overwrite the records with the whole answer's: the first run's are read once, before.
    const request = chatRequestSchema.parse({ conversationId, mode: "continue", messageId, params: { maxNewTokens: 4 } });
    const continued = await sendMessage({ db: tiny.t.store, engine: tiny.engine, request, signal: new AbortController().signal, progress: { everyTokens: 1, everyMs: 0 } });
    const more = await collectEvents(continued.events);
    const after = (await getMessageTokens(tiny.t.store, { conversationId, messageId })).tokens;
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(before.length + 4);
    expect(after.slice(before.length).map((x) => x.text).join("")).toBe(textOf(more));
    expect(content + textOf(more)).toBe(messagesRepo.getMessage(tiny.t.db, { id: messageId })!.content);
  });

  it("refuses a branch from a token that is not a recorded alternative, naming the field", async () => {
    const { conversationId, messageId } = await greedyAnswer();
    const original = (await getMessageTokens(tiny.t.store, { conversationId, messageId })).tokens;
    const notAlternative = [...Array(1000).keys()].find((id) => !original[2]!.top.some((a) => a.id === id))!;
    await expect(send({ conversationId, mode: "branch", messageId, tokenIndex: 2, tokenId: notAlternative })).rejects.toThrow(expect.objectContaining({ kind: "invalid", field: "tokenId" }));
    await expect(send({ conversationId, mode: "branch", messageId, tokenIndex: 99, tokenId: original[2]!.id })).rejects.toThrow(expect.objectContaining({ kind: "invalid", field: "tokenIndex" }));
    expect(chatRequestSchema.safeParse({ conversationId, mode: "branch", messageId }).error?.issues.map((i) => i.path[0])).toEqual(["tokenIndex", "tokenId"]);
  });

  it("travel in the JSON export and come back with an import", async () => {
    const { conversationId, messageId } = await greedyAnswer();
    const exported = JSON.parse((await exportConversation(tiny.t.store, { id: conversationId, format: "json" })).body);
    expect(exported.messages.find((m: { id: string }) => m.id === messageId).tokens).toEqual(expect.any(String));
    const imported = await importConversation(tiny.t.store, { data: conversationExportSchema.parse(exported) });
    const answer = imported.messages.at(-1)!;
    expect((await getMessageTokens(tiny.t.store, { conversationId: imported.id, messageId: answer.id })).tokens).toEqual((await getMessageTokens(tiny.t.store, { conversationId, messageId })).tokens);
    const broken = structuredClone(exported);
    broken.messages.at(-1).tokens = Buffer.from("garbage").toString("base64");
    await expect(importConversation(tiny.t.store, { data: conversationExportSchema.parse(broken) })).rejects.toThrow(expect.objectContaining({ kind: "invalid", field: `messages[${broken.messages.length - 1}].tokens` }));
  });
});
