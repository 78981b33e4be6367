/** Files attached to a question: stored with it, put in the prompt before it, kept by an edit, exported and imported. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attachmentBlock } from "@/lib/attachments";
import { chatRequestSchema, type ChatRequest } from "@/lib/schemas/chat";
import { conversationExportSchema } from "@/lib/schemas/conversations";
import { openTempDb, type TempDb } from "@/server/db/testing/temp-db";
import { createTestEngine } from "@/server/engine/testing/test-engine";
import { countTokens } from "@/server/files/count-tokens";
import { getConversation } from "./conversations";
import { exportConversation } from "./export-conversation";
import { importConversation } from "./import-conversation";
import { sendMessage } from "./send-message";
import { collectEvents } from "./testing/collect";

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(() => t.dispose());

const notes = { name: "notes.md", mediaType: "text/markdown", text: "# Notes\nBitNet uses ternary weights." };
const table = { name: "data.csv", mediaType: "text/csv", text: "a,b\n1,2" };

async function send(body: ChatRequest) {
  const { engine } = createTestEngine({ answer: "ok" });
  const sent = await sendMessage({ db: t.store, engine, request: chatRequestSchema.parse(body), signal: new AbortController().signal });
  await collectEvents(sent.events);
  return sent;
}

describe("attachments", () => {
  it("go into the prompt as delimited blocks before the question, and show as chips (no text) with server-counted tokens", async () => {
    const sent = await send({ content: "Summarize the files.", attachments: [notes, table] });
    expect(sent.turn.engineMessages.at(-1)).toEqual({
      role: "user",
      content: `<file name="notes.md">\n# Notes\nBitNet uses ternary weights.\n</file>\n\n<file name="data.csv">\na,b\n1,2\n</file>\n\nSummarize the files.`,
    });
    const conversation = await getConversation(t.store, { id: sent.conversationId });
    expect(conversation.messages[0]!.content).toBe("Summarize the files.");
    expect(conversation.messages[0]!.attachments).toEqual([
      { name: "notes.md", mediaType: "text/markdown", chars: notes.text.length, tokens: countTokens(attachmentBlock(notes)) },
      { name: "data.csv", mediaType: "text/csv", chars: table.text.length, tokens: countTokens(attachmentBlock(table)) },
    ]);
    expect(conversation.messages[1]!.attachments).toBeUndefined();
  });

  it("stay with the history: the next turn's prompt still has them; an edit keeps them unless it brings its own", async () => {
    const first = await send({ content: "Read this.", attachments: [notes] });
    const next = await send({ conversationId: first.conversationId, content: "And then?" });
    expect(next.turn.engineMessages.find((m) => m.role === "user")!.content).toContain('<file name="notes.md">');
    const edited = await send({ conversationId: first.conversationId, mode: "edit", messageId: first.turn.userMessageId, content: "Read it again." });
    expect(edited.turn.engineMessages.at(-1)!.content).toBe(`${attachmentBlock(notes)}\n\nRead it again.`);
    const replaced = await send({ conversationId: first.conversationId, mode: "edit", messageId: first.turn.userMessageId, content: "This one.", attachments: [table] });
    expect(replaced.turn.engineMessages.at(-1)!.content).toBe(`${attachmentBlock(table)}\n\nThis one.`);
  });

  it("are exported with their text and imported back; an export without files still imports", async () => {
    const sent = await send({ content: "Keep the file.", attachments: [notes] });
    const exported = conversationExportSchema.parse(JSON.parse((await exportConversation(t.store, { id: sent.conversationId, format: "json" })).body));
    expect(exported.messages[0]).toMatchObject({ role: "user", attachments: [notes] });
    const imported = await importConversation(t.store, { data: exported });
    expect(imported.messages[0]!.attachments).toEqual([{ name: "notes.md", mediaType: "text/markdown", chars: notes.text.length, tokens: countTokens(attachmentBlock(notes)) }]);
    const written = JSON.parse(JSON.stringify(exported)) as { messages: { attachments?: unknown }[] };
    delete written.messages[0]!.attachments;
    const old = await importConversation(t.store, { data: conversationExportSchema.parse(written) });
    expect(old.messages[0]!.attachments).toBeUndefined();
    const markdown = (await exportConversation(t.store, { id: sent.conversationId, format: "md" })).body;
    expect(markdown).toContain(`📎 notes.md (${countTokens(attachmentBlock(notes))} tokens)`);
  });

  it("are bounded in the request, each refusal naming its field", () => {
    const issue = (body: unknown) => chatRequestSchema.safeParse(body).error?.issues[0];
    expect(issue({ content: "x", attachments: Array.from({ length: 6 }, () => notes) })).toMatchObject({ path: ["attachments"], message: "attachments must hold at most 5 files" });
    expect(issue({ content: "x", attachments: [{ ...notes, text: "a".repeat(100_001) }] })).toMatchObject({ path: ["attachments", 0, "text"] });
    expect(issue({ content: "x", attachments: [{ ...notes, text: "a".repeat(60_000) }, { ...notes, text: "a".repeat(60_000) }] })).toMatchObject({
      path: ["attachments"],
      message: "attachments must hold at most 100000 characters of text together",
    });
    expect(issue({ content: "x", attachments: [{ ...notes, name: " " }] })).toMatchObject({ path: ["attachments", 0, "name"] });
    expect(issue({ conversationId: "c", mode: "regenerate", attachments: [notes] })).toMatchObject({ path: ["attachments"] });
  });
});
