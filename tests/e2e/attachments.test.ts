/**
 * Files in the conversation (issue 24), on the production build with the tiny model: attaching each file
 * type (button, paste, drop; a PDF generated here), the chips with their token counts, a file that is not
 * text, the count bound, the too-long refusal, and export/import keeping the files.
 */
import { describe, expect, it } from "vitest";
import type { ConversationDto } from "@/lib/schemas/conversations";
import type { ExtractedAttachment } from "@/lib/schemas/attachments";
import { makePdf } from "../support/make-pdf";
import { useChatSuite } from "./support/chat-suite";
import { fetchConversation, fetchExport, importViaApi, UI_TIMEOUT, type ChatPage } from "./support/chat-page";

const TEXT_FILES = [
  { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("Plain notes about ternary weights.") },
  { name: "README.md", mimeType: "text/markdown", buffer: Buffer.from("# BitNet\n\n- 1.58 bits per weight") },
  { name: "main.py", mimeType: "text/x-python", buffer: Buffer.from("def add(a, b):\n    return a + b\n") },
  { name: "data.csv", mimeType: "text/csv", buffer: Buffer.from("model,bits\nbitnet,1.58\n") },
  { name: "config.json", mimeType: "application/json", buffer: Buffer.from('{"threads": 2, "parallel": 4}') },
];

/** Puts files on the page (as base64) and fires `type` ("paste" on the message box, "drop" on the composer) with them. */
async function dispatchFiles(chat: ChatPage, type: "paste" | "drop", files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  await chat.page.evaluate(
    ({ type, files }) => {
      const transfer = new DataTransfer();
      for (const f of files) transfer.items.add(new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0))], f.name, { type: f.mimeType }));
      const box = document.getElementById("composer")!;
      if (type === "paste") box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
      else box.closest("form")!.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { type, files: files.map((f) => ({ name: f.name, mimeType: f.mimeType, data: f.buffer.toString("base64") })) },
  );
}

async function serverCount(baseUrl: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<ExtractedAttachment> {
  const response = await fetch(`${baseUrl}/api/attachments?name=${encodeURIComponent(file.name)}`, { method: "POST", headers: { "Content-Type": file.mimeType }, body: new Uint8Array(file.buffer) });
  expect(response.status).toBe(200);
  return (await response.json()) as ExtractedAttachment;
}

describe("attached files", () => {
  const { baseUrl, openChat } = useChatSuite();
  const composerChips = (chat: ChatPage) => chat.page.locator("form").getByRole("list", { name: "Attached files" }).getByRole("listitem");

  it("each text type through the paperclip, a pasted file and a dropped PDF: chips with token counts, stored with the question", async () => {
    const chat = await openChat("/");
    await chat.setParam("Max new tokens", "4");
    await chat.page.getByTestId("attach-input").setInputFiles(TEXT_FILES.slice(0, 4));
    await dispatchFiles(chat, "paste", [TEXT_FILES[4]!]);
    await expect.poll(() => composerChips(chat).evaluateAll((items) => items.map((i) => i.getAttribute("aria-label"))), { timeout: UI_TIMEOUT }).toEqual(
      await Promise.all(TEXT_FILES.map(async (f) => `${f.name}, ${(await serverCount(baseUrl, f)).tokens} tokens`)),
    );
    await chat.send("What do these files say?");
    await chat.waitForAnswerStatus("complete");
    const id = await chat.conversationId();
    // The question shows its files as chips in the history, and the server stored them.
    expect(await chat.userMessages.last().getByRole("listitem").count()).toBe(5);
    expect(await composerChips(chat).count()).toBe(0);
    const saved = (await fetchConversation(baseUrl, id)).body!;
    expect(saved.messages[0]!.attachments?.map((f) => f.name)).toEqual(TEXT_FILES.map((f) => f.name));
    // Their text was in the prompt: it took more tokens than the files' blocks together.
    const fileTokens = saved.messages[0]!.attachments!.reduce((n, f) => n + f.tokens, 0);
    expect(saved.messages[1]!.stats!.promptTokens).toBeGreaterThan(fileTokens);

    const pdf = { name: "paper.pdf", mimeType: "application/pdf", buffer: makePdf(["BitNet b1.58 uses ternary weights.", "Page two."]) };
    await dispatchFiles(chat, "drop", [pdf]);
    const read = await serverCount(baseUrl, pdf);
    expect(read).toMatchObject({ text: "BitNet b1.58 uses ternary weights.\n\nPage two.", pages: 2 });
    await composerChips(chat).filter({ hasText: `${read.tokens} tokens` }).waitFor({ timeout: UI_TIMEOUT });
    await chat.send("And the PDF?");
    await chat.waitForAnswerStatus("complete");
    const again = (await fetchConversation(baseUrl, id)).body!;
    expect(again.messages[2]!.attachments).toEqual([{ name: "paper.pdf", mediaType: "application/pdf", chars: read.chars, tokens: read.tokens }]);
  });

  it("a file that is not text says so; a sixth file is left out", async () => {
    const chat = await openChat("/");
    await chat.page.getByTestId("attach-input").setInputFiles([{ name: "photo.png", mimeType: "image/png", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) }]);
    await chat.page.getByRole("alert").filter({ hasText: "photo.png is not a text file. Attach plain text, Markdown, code, CSV/JSON, or a PDF with a text layer." }).waitFor({ timeout: UI_TIMEOUT });
    expect(await composerChips(chat).count()).toBe(0);
    await chat.page.getByTestId("attach-input").setInputFiles([...TEXT_FILES, { name: "extra.txt", mimeType: "text/plain", buffer: Buffer.from("one too many") }]);
    await chat.page.getByRole("alert").filter({ hasText: "At most 5 files per message: extra.txt left out." }).waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => composerChips(chat).count(), { timeout: UI_TIMEOUT }).toBe(5);
    await chat.page.getByRole("button", { name: "Remove notes.txt" }).click();
    expect(await composerChips(chat).count()).toBe(4);
  });

  it("a file too long for the context: the chip says how many tokens, the composer refuses and says how much must go", async () => {
    const chat = await openChat("/");
    const words = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(" ");
    const file = { name: "long.txt", mimeType: "text/plain", buffer: Buffer.from(words) };
    const { tokens } = await serverCount(baseUrl, file);
    expect(tokens).toBeGreaterThan(4096);
    await chat.page.getByTestId("attach-input").setInputFiles([file]);
    await composerChips(chat).filter({ hasText: `${tokens.toLocaleString("en-US")} tokens` }).waitFor({ timeout: UI_TIMEOUT });
    await chat.composer.fill("Summarize it.");
    await expect.poll(() => chat.composerHint.innerText(), { timeout: UI_TIMEOUT }).toMatch(
      new RegExp(`^Too long for the model: the files take ${tokens.toLocaleString("en-US")} tokens .* the context holds 4,096 tokens with [\\d,]+ kept for the answer — remove about [\\d,]+ tokens\\.$`),
    );
    expect(await chat.sendButton.isDisabled()).toBe(true);
    // Sent anyway (another client): the server refuses it before anything is stored, saying by how much.
    const response = await fetch(`${baseUrl}/api/chat`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ content: "Summarize it.", attachments: [{ name: "long.txt", mediaType: "text/plain", text: words }] }),
    });
    const stream = await response.text();
    expect(stream).toMatch(/event: error\ndata: \{"code":"context_overflow","message":"(Your message takes|The system prompt and your message together take) \d+ tokens; .* Shorten the message by at least \d+ tokens/);
  });

  it("export and import keep the files: their text in the JSON, their chips on the imported question", async () => {
    const chat = await openChat("/");
    await chat.setParam("Max new tokens", "4");
    await chat.page.getByTestId("attach-input").setInputFiles([TEXT_FILES[1]!]);
    await composerChips(chat).first().filter({ hasText: "tokens" }).waitFor({ timeout: UI_TIMEOUT });
    await chat.send("Keep my file.");
    await chat.waitForAnswerStatus("complete");
    const id = await chat.conversationId();
    const exported = JSON.parse(await fetchExport(baseUrl, id, "json")) as { messages: { attachments?: unknown }[] };
    expect(exported.messages[0]!.attachments).toEqual([{ name: "README.md", mediaType: "text/markdown", text: TEXT_FILES[1]!.buffer.toString() }]);
    expect(await fetchExport(baseUrl, id, "md")).toMatch(/📎 README\.md \(\d+ tokens\)/);
    const copy = await importViaApi(baseUrl, exported);
    const imported = (await fetchConversation(baseUrl, copy)).body as ConversationDto;
    expect(imported.messages[0]!.attachments?.map((f) => f.name)).toEqual(["README.md"]);
    await chat.goto(`/c/${copy}`);
    await chat.userMessages.first().getByRole("listitem", { name: /^README\.md, \d+ tokens$/ }).waitFor({ timeout: UI_TIMEOUT });
  });
});
