/** Versions and branches end to end through the use cases: regenerate, edit, switch, continue, export/import. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatRequestSchema, type ChatRequest } from "@/lib/schemas/chat";
import { conversationExportSchema } from "@/lib/schemas/conversations";
import { checkFtsIntegrity, openTempDb, type TempDb } from "@/server/db/testing/temp-db";
import type { Engine } from "@/server/engine/types";
import { EOT } from "@/server/engine/testing/fake-model";
import { getConversation, updateConversation } from "./conversations";
import { exportConversation, toMarkdown } from "./export-conversation";
import { importConversation } from "./import-conversation";
import { sendMessage } from "./send-message";
import { collectEvents, eventOf } from "./testing/collect";
import { createTestEngine } from "@/server/engine/testing/test-engine";

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(() => t.dispose());

async function ask(engine: Engine, body: ChatRequest) {
  const result = await sendMessage({ db: t.store, engine, request: chatRequestSchema.parse(body), signal: new AbortController().signal });
  const events = await collectEvents(result.events);
  return { conversationId: result.conversationId, events, done: eventOf(events, "done").data };
}

const answering = (answer: string) => createTestEngine({ answer }).engine;
const shown = async (id: string) => (await getConversation(t.store, { id })).messages.map((m) => m.content);
const promptOf = (runner: { ids: number[] }) => new TextDecoder().decode(new Uint8Array(runner.ids.filter((id) => id < 256)));

/** question 1..3 with answers 1..3. */
async function threeTurns(): Promise<string> {
  const { conversationId } = await ask(answering("answer 1"), { content: "question 1" });
  await ask(answering("answer 2"), { conversationId, content: "question 2" });
  await ask(answering("answer 3"), { conversationId, content: "question 3" });
  return conversationId;
}

describe("versions of an answer", () => {
  it("regenerate twice keeps three versions; switching shows each and persists", async () => {
    const { conversationId } = await ask(answering("first version"), { content: "tell me" });
    await ask(answering("second version"), { conversationId, mode: "regenerate" });
    const third = await ask(answering("third version"), { conversationId, mode: "regenerate" });

    let conversation = await getConversation(t.store, { id: conversationId });
    expect(conversation.messages.map((m) => m.content)).toEqual(["tell me", "third version"]);
    const answer = conversation.messages[1];
    expect(answer.id).toBe(third.done.messageId);
    expect(answer.siblings).toMatchObject({ index: 2, count: 3 });
    expect(conversation.messages[0].siblings).toMatchObject({ index: 0, count: 1 });
    expect(conversation.messageCount).toBe(4);

    const [v1, v2] = answer.siblings.ids;
    conversation = await updateConversation(t.store, { id: conversationId, activeMessageId: v1 });
    expect(conversation.messages.map((m) => m.content)).toEqual(["tell me", "first version"]);
    expect(conversation.messages[1].siblings).toMatchObject({ index: 0, count: 3 });
    expect(conversation.activeLeafId).toBe(v1);
    // Stored, not just answered: a fresh read shows the same branch.
    expect(await shown(conversationId)).toEqual(["tell me", "first version"]);
    await updateConversation(t.store, { id: conversationId, activeMessageId: v2 });
    expect(await shown(conversationId)).toEqual(["tell me", "second version"]);
  });

  it("the prompt is built from the active branch only, and a follow-up continues that branch", async () => {
    const { conversationId } = await ask(answering("kept answer"), { content: "question" });
    await ask(answering("replaced answer"), { conversationId, mode: "regenerate" });
    const [kept] = (await getConversation(t.store, { id: conversationId })).messages[1].siblings.ids;
    await updateConversation(t.store, { id: conversationId, activeMessageId: kept });

    const { engine, runner } = createTestEngine({ answer: "follow-up answer" });
    await ask(engine, { conversationId, content: "follow-up" });
    const prompt = promptOf(runner);
    expect(prompt).toContain("Assistant: kept answer");
    expect(prompt).not.toContain("replaced answer");
    expect(await shown(conversationId)).toEqual(["question", "kept answer", "follow-up", "follow-up answer"]);
    // Switching back to the other version lands on its own (shorter) branch.
    const other = (await getConversation(t.store, { id: conversationId })).messages[1].siblings.ids[1];
    expect((await updateConversation(t.store, { id: conversationId, activeMessageId: other })).messages.map((m) => m.content)).toEqual(["question", "replaced answer"]);
  });

  it("regenerate on an older answer (by messageId) branches from its question", async () => {
    const conversationId = await threeTurns();
    const firstAnswer = (await getConversation(t.store, { id: conversationId })).messages[1];
    const { engine, runner } = createTestEngine({ answer: "answer 1b" });
    await ask(engine, { conversationId, mode: "regenerate", messageId: firstAnswer.id });
    expect(promptOf(runner)).not.toContain("question 2");
    const conversation = await getConversation(t.store, { id: conversationId });
    expect(conversation.messages.map((m) => m.content)).toEqual(["question 1", "answer 1b"]);
    expect(conversation.messages[1].siblings).toMatchObject({ index: 1, count: 2 });
    // The first version still carries its continuation.
    await updateConversation(t.store, { id: conversationId, activeMessageId: firstAnswer.id });
    expect(await shown(conversationId)).toEqual(["question 1", "answer 1", "question 2", "answer 2", "question 3", "answer 3"]);
  });
});

describe("editing a question", () => {
  it("editing the first message of a 3-turn chat starts a new branch; the old one stays reachable", async () => {
    const conversationId = await threeTurns();
    const before = await getConversation(t.store, { id: conversationId });
    const { engine, runner } = createTestEngine({ answer: "new answer 1" });
    await ask(engine, { conversationId, mode: "edit", messageId: before.messages[0].id, content: "question 1, edited" });
    expect(promptOf(runner)).not.toContain("question 2");

    const after = await getConversation(t.store, { id: conversationId });
    expect(after.messages.map((m) => m.content)).toEqual(["question 1, edited", "new answer 1"]);
    expect(after.messages[0].siblings).toEqual({ index: 1, count: 2, ids: [before.messages[0].id, after.messages[0].id] });
    expect(after.title).toBe("question 1, edited");
    expect(after.messageCount).toBe(8);

    const old = await updateConversation(t.store, { id: conversationId, activeMessageId: before.messages[0].id });
    expect(old.messages.map((m) => m.content)).toEqual(["question 1", "answer 1", "question 2", "answer 2", "question 3", "answer 3"]);
    expect(old.messages[0].siblings).toMatchObject({ index: 0, count: 2 });
    expect(old.messages.map((m) => m.id)).toEqual(before.messages.map((m) => m.id));
    checkFtsIntegrity(t);
  });

  it("the title belongs to the conversation: each edit of the first question retitles it, also from an older version, and switching versions keeps it", async () => {
    const conversationId = await threeTurns();
    const first = (await getConversation(t.store, { id: conversationId })).messages[0]!;
    await ask(answering("b"), { conversationId, mode: "edit", messageId: first.id, content: "question 1, second take" });
    expect((await getConversation(t.store, { id: conversationId })).title).toBe("question 1, second take");
    // Back on the first version: the title stays the conversation's.
    await updateConversation(t.store, { id: conversationId, activeMessageId: first.id });
    expect((await getConversation(t.store, { id: conversationId })).title).toBe("question 1, second take");
    // Editing that older version retitles again (its title was automatic, from the other version).
    await ask(answering("c"), { conversationId, mode: "edit", messageId: first.id, content: "question 1, third take" });
    expect((await getConversation(t.store, { id: conversationId })).title).toBe("question 1, third take");
    // A title the user chose stays.
    await updateConversation(t.store, { id: conversationId, title: "Mine" });
    await ask(answering("d"), { conversationId, mode: "edit", messageId: first.id, content: "question 1, fourth take" });
    expect((await getConversation(t.store, { id: conversationId })).title).toBe("Mine");
  });

  it("editing a middle question keeps the turns before it", async () => {
    const conversationId = await threeTurns();
    const second = (await getConversation(t.store, { id: conversationId })).messages[2];
    await ask(answering("answer 2b"), { conversationId, mode: "edit", messageId: second.id, content: "question 2b" });
    expect(await shown(conversationId)).toEqual(["question 1", "answer 1", "question 2b", "answer 2b"]);
    expect((await getConversation(t.store, { id: conversationId })).title).toBe("question 1");
  });

  it("refuses to edit an answer or to use a message of another conversation", async () => {
    const conversationId = await threeTurns();
    const other = await threeTurns();
    const answer = (await getConversation(t.store, { id: conversationId })).messages[1];
    const foreign = (await getConversation(t.store, { id: other })).messages[0];
    const engine = answering("x");
    const request = (body: ChatRequest) => sendMessage({ db: t.store, engine, request: chatRequestSchema.parse(body), signal: new AbortController().signal });
    await expect(request({ conversationId, mode: "edit", messageId: answer.id, content: "y" })).rejects.toThrow(expect.objectContaining({ kind: "conflict", field: "messageId" }));
    await expect(request({ conversationId, mode: "edit", messageId: foreign.id, content: "y" })).rejects.toThrow(expect.objectContaining({ kind: "not_found", field: "messageId" }));
    await expect(request({ conversationId, mode: "continue", messageId: answer.id })).rejects.toThrow(expect.objectContaining({ kind: "conflict", field: "messageId" }));
    await expect(updateConversation(t.store, { id: conversationId, activeMessageId: foreign.id })).rejects.toThrow(expect.objectContaining({ kind: "not_found" }));
  });
});

describe("continue", () => {
  it("extends a length-capped answer in place from its text, with no end of turn in the prompt", async () => {
    const full = "The quick brown fox jumps over the lazy dog.";
    const { conversationId, done } = await ask(answering(full), { content: "a pangram?", params: { maxNewTokens: 9 } });
    expect(done.stats.stopReason).toBe("length");
    expect(await shown(conversationId)).toEqual(["a pangram?", "The quick"]);

    const { engine, runner } = createTestEngine({ answer: full });
    const continued = await ask(engine, { conversationId, mode: "continue", params: { maxNewTokens: 200 } });
    expect(eventOf(continued.events, "start").data.assistantMessageId).toBe(done.messageId);
    expect(continued.done).toMatchObject({ messageId: done.messageId, status: "complete" });
    expect(continued.done.stats.stopReason).toBe("eos");

    // The model saw the partial answer as the unfinished last turn.
    expect(promptOf(runner)).toContain("User: a pangram?Assistant: The quick brown fox");
    // One end of turn after the question, one after the finished answer: none after the partial text.
    expect(runner.ids.filter((id) => id === EOT)).toHaveLength(2);

    const conversation = await getConversation(t.store, { id: conversationId });
    expect(conversation.messages.map((m) => m.content)).toEqual(["a pangram?", full]);
    expect(conversation.messages[1]).toMatchObject({ id: done.messageId, status: "complete" });
    expect(conversation.messages[1].siblings.count).toBe(1);
    // Counts add up over both runs.
    expect(conversation.messages[1].stats?.completionTokens).toBe(full.length);
  });
});

describe("export and import of a tree", () => {
  it("JSON keeps every version and the active branch; Markdown shows the active branch", async () => {
    const conversationId = await threeTurns();
    const first = (await getConversation(t.store, { id: conversationId })).messages[0];
    await ask(answering("new answer 1"), { conversationId, mode: "edit", messageId: first.id, content: "question 1, edited" });
    await ask(answering("new answer 1, again"), { conversationId, mode: "regenerate" });

    const markdown = toMarkdown(await getConversation(t.store, { id: conversationId }));
    expect(markdown).toContain("new answer 1, again");
    expect(markdown).not.toContain("question 2");

    const exported = conversationExportSchema.parse(JSON.parse((await exportConversation(t.store, { id: conversationId, format: "json" })).body));
    expect(exported.format).toBe("bitnet-chat/conversation@2");
    expect(exported.messages).toHaveLength(9);

    const imported = await importConversation(t.store, { data: exported });
    expect(imported.messages.map((m) => m.content)).toEqual(["question 1, edited", "new answer 1, again"]);
    expect(imported.messages.map((m) => m.siblings.index + "/" + m.siblings.count)).toEqual(["1/2", "1/2"]);
    const oldBranch = await updateConversation(t.store, { id: imported.id, activeMessageId: imported.messages[0].siblings.ids[0] });
    expect(oldBranch.messages.map((m) => m.content)).toEqual(["question 1", "answer 1", "question 2", "answer 2", "question 3", "answer 3"]);
    // The whole tree survives a second round trip unchanged apart from ids.
    const reexported = conversationExportSchema.parse(JSON.parse((await exportConversation(t.store, { id: imported.id, format: "json" })).body));
    expect(reexported.messages.map((m) => [m.role, m.content])).toEqual(exported.messages.map((m) => [m.role, m.content]));
    checkFtsIntegrity(t);
  });

  it("imports the old linear format as a single branch", async () => {
    const data = conversationExportSchema.parse({
      format: "bitnet-chat/conversation@1",
      title: "Old file",
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
      params: {},
      messages: [
        { role: "user", content: "hi", createdAt: "2026-01-01T00:00:00Z" },
        { role: "assistant", content: "hello", createdAt: "2026-01-01T00:00:01Z" },
        { role: "user", content: "bye", createdAt: "2026-01-01T00:00:02Z" },
      ],
    });
    const imported = await importConversation(t.store, { data });
    expect(imported.messages.map((m) => [m.content, m.siblings.count])).toEqual([["hi", 1], ["hello", 1], ["bye", 1]]);
    expect(imported.messages[1].parentId).toBe(imported.messages[0].id);
  });

  it("refuses a tree whose parent comes after its child, naming the field", async () => {
    const result = conversationExportSchema.safeParse({
      format: "bitnet-chat/conversation@2",
      title: "Bad",
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
      params: {},
      messages: [
        { id: "b", parentId: "a", role: "assistant", content: "x", createdAt: "2026-01-01T00:00:00Z" },
        { id: "a", parentId: null, role: "user", content: "y", createdAt: "2026-01-01T00:00:00Z" },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["messages", 0, "parentId"] });
  });
});
