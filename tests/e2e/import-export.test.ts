/**
 * Import by dropping files anywhere on the page, plain-words errors that leave the search box
 * usable, and "Export all" → import of the whole file. Copies of conversations that are still here
 * come back marked "(imported)"; exported answers keep their settings.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useChatSuite } from "./support/chat-suite";
import { exportWithAnswer, fetchConversation, fetchExport, importViaApi, UI_TIMEOUT } from "./support/chat-page";

/** Drops files on the page the way a browser does: dragenter/dragover, then drop, with a DataTransfer. */
async function dropFiles(page: Page, files: { name: string; type: string; text: string }[]): Promise<void> {
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: f.type }));
    return dt;
  }, files);
  const target = page.locator("main");
  await target.dispatchEvent("dragenter", { dataTransfer: transfer });
  await target.dispatchEvent("dragover", { dataTransfer: transfer });
  await page.getByText("Drop exported conversations (.json) to import them").waitFor({ timeout: UI_TIMEOUT });
  await target.dispatchEvent("drop", { dataTransfer: transfer });
}

describe("import and export", () => {
  const { baseUrl, openChat } = useChatSuite();

  it("imports a conversation dropped on the page and opens it, marked (imported) when it is a copy", async () => {
    const sourceId = await importViaApi(baseUrl, exportWithAnswer("Dropped chat", "An answer worth keeping."));
    const exported = await fetchExport(baseUrl, sourceId, "json");
    const chat = await openChat("/");
    await dropFiles(chat.page, [{ name: "dropped.json", type: "application/json", text: exported }]);
    await expect.poll(() => new URL(chat.page.url()).pathname, { timeout: UI_TIMEOUT }).toMatch(/^\/c\//);
    const id = await chat.conversationId();
    expect(id).not.toBe(sourceId);
    await expect.poll(() => chat.title.innerText(), { timeout: UI_TIMEOUT }).toBe("Dropped chat (imported)");
    expect(await chat.answerBody().innerText()).toContain("An answer worth keeping.");
    expect(await chat.page.getByText("Drop exported conversations").count()).toBe(0);
  });

  it("explains a bad file in plain words, under the search box instead of over it", async () => {
    const chat = await openChat("/");
    await dropFiles(chat.page, [
      { name: "notes.txt", type: "text/plain", text: "just some notes" },
      { name: "other.json", type: "application/json", text: JSON.stringify({ hello: "world" }) },
    ]);
    const alert = chat.page.getByRole("complementary", { name: "Conversations" }).getByRole("alert");
    await alert.waitFor({ timeout: UI_TIMEOUT });
    const text = await alert.innerText();
    expect(text).toContain("notes.txt is not a JSON file.");
    expect(text).toContain("other.json is not a BitNet Chat export.");
    const search = await chat.search.boundingBox();
    const box = await alert.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(search!.y + search!.height);
    await chat.search.fill("still usable");
    expect(await chat.search.inputValue()).toBe("still usable");
    await alert.getByRole("button", { name: "Dismiss" }).click();
    await alert.waitFor({ state: "detached", timeout: UI_TIMEOUT });
  });

  it("exports all conversations in one file, with per-answer settings, and imports it back", async () => {
    await importViaApi(baseUrl, exportWithAnswer("Bundle one", "first answer"));
    await importViaApi(baseUrl, exportWithAnswer("Bundle two", "second answer"));
    const chat = await openChat("/");
    await chat.page.getByRole("button", { name: "Import and export" }).click();
    const [download] = await Promise.all([
      chat.page.waitForEvent("download", { timeout: UI_TIMEOUT }),
      chat.page.getByRole("menuitem", { name: "Export all conversations" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^bitnet-chat-\d{4}-\d{2}-\d{2}\.json$/);
    const bundle = JSON.parse(readFileSync(await download.path(), "utf8")) as {
      format: string;
      conversations: { title: string; messages: { role: string; params: unknown }[] }[];
    };
    expect(bundle.format).toBe("bitnet-chat/conversations@1");
    const titles = bundle.conversations.map((c) => c.title);
    expect(titles).toEqual(expect.arrayContaining(["Bundle one", "Bundle two"]));

    await chat.page.getByLabel("Import conversation file").setInputFiles({
      name: "all.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(bundle)),
    });
    await chat.page.getByText(`Imported ${bundle.conversations.length} conversations.`).waitFor({ timeout: UI_TIMEOUT });
    await chat.conversationItem("Bundle two (imported)").waitFor({ timeout: UI_TIMEOUT });
  });

  it("an answer's settings survive export and import", async () => {
    const chat = await openChat("/");
    await chat.setParam("Max new tokens", "7");
    await chat.send("Settings travel with the answer.");
    await chat.waitForAnswerStatus("complete");
    const id = await chat.conversationId();
    const exported = JSON.parse(await fetchExport(baseUrl, id, "json")) as { messages: { role: string; params: { maxNewTokens?: number } | null }[] };
    expect(exported.messages.find((m) => m.role === "assistant")?.params?.maxNewTokens).toBe(7);
    const copy = await importViaApi(baseUrl, exported);
    const answer = (await fetchConversation(baseUrl, copy)).body!.messages.find((m) => m.role === "assistant");
    expect(answer?.params?.maxNewTokens).toBe(7);
  });
});
