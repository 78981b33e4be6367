/**
 * The smaller chat interactions on the production build: keyboard sending, example prompts,
 * regenerate, edit-and-resend (their versions: branches.test.ts), JSON import of an export, and the
 * theme switch. Each test starts a fresh browser context and its own conversation, with short answers.
 */
import { describe, expect, it } from "vitest";
import { useChatSuite } from "./support/chat-suite";
import { ChatPage, fetchConversation, fetchExport, UI_TIMEOUT } from "./support/chat-page";

describe("chat actions (production build, tiny model)", () => {
  const { baseUrl, openChat } = useChatSuite();

  async function newChat(maxNewTokens = "8"): Promise<ChatPage> {
    const chat = await openChat();
    await chat.setParam("Max new tokens", maxNewTokens);
    return chat;
  }

  async function messagesOf(chat: ChatPage) {
    const { status, body } = await fetchConversation(baseUrl, await chat.conversationId());
    expect(status).toBe(200);
    return body!.messages;
  }

  it("Enter sends and Shift+Enter adds a new line", async () => {
    const chat = await newChat();
    await chat.composer.click();
    await chat.page.keyboard.type("first line");
    await chat.page.keyboard.press("Shift+Enter");
    await chat.page.keyboard.type("second line");
    expect(await chat.composer.inputValue()).toBe("first line\nsecond line");
    expect(await chat.userMessages.count()).toBe(0);

    await chat.page.keyboard.press("Enter");
    await chat.waitForAnswerStatus("complete");
    expect(await chat.composer.inputValue()).toBe("");
    expect((await messagesOf(chat))[0]!.content).toBe("first line\nsecond line");
  });

  it("an example prompt on the empty chat sends it", async () => {
    const chat = await newChat();
    const examples = chat.page.getByRole("list", { name: "Example prompts" }).getByRole("button");
    expect(await examples.count()).toBeGreaterThan(0);
    const prompt = await examples.first().innerText();
    await examples.first().click();
    await chat.waitForAnswerStatus("complete");
    expect(await chat.userMessages.first().innerText()).toContain(prompt);
    expect((await messagesOf(chat)).map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("Regenerate shows the new version in place of the last answer (one answer on screen)", async () => {
    const chat = await newChat();
    await chat.send("Name a colour.");
    await chat.waitForAnswerStatus("complete");
    const before = await messagesOf(chat);

    await chat.recordAnswer();
    await chat.lastAnswer.getByRole("button", { name: "Regenerate", exact: true }).click();
    await expect.poll(async () => (await chat.answerSamples()).some((s) => s.status === "streaming"), { timeout: UI_TIMEOUT }).toBe(true);
    await chat.waitForAnswerStatus("complete");
    expect(await chat.answers.count()).toBe(1);

    await expect.poll(async () => (await messagesOf(chat)).at(-1)!.id, { timeout: UI_TIMEOUT }).not.toBe(before[1]!.id);
    const after = await messagesOf(chat);
    expect(after.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(after[0]!.id).toBe(before[0]!.id);
  });

  it("Edit of the last user message resends it as a new version in its place", async () => {
    const chat = await newChat();
    await chat.send("Name a fruit.");
    await chat.waitForAnswerStatus("complete");
    const before = await messagesOf(chat);

    await chat.userMessages.last().getByRole("button", { name: "Edit", exact: true }).click();
    const editor = chat.page.getByRole("textbox", { name: "Edit message" });
    await editor.fill("Name a vegetable.");
    await chat.page.getByRole("button", { name: "Save and resend" }).click();
    await expect.poll(() => chat.userMessages.last().innerText(), { timeout: UI_TIMEOUT }).toContain("Name a vegetable.");
    await chat.waitForAnswerStatus("complete");
    expect(await chat.userMessages.count()).toBe(1);
    expect(await chat.answers.count()).toBe(1);

    await expect.poll(async () => (await messagesOf(chat)).map((m) => m.content)[0], { timeout: UI_TIMEOUT }).toBe("Name a vegetable.");
    const after = await messagesOf(chat);
    expect(after).toHaveLength(2);
    expect(after[1]!.id).not.toBe(before[1]!.id);
  });

  it("imports a JSON export as a new conversation with the same messages", async () => {
    const chat = await newChat();
    await chat.send("Say something worth keeping.");
    await chat.waitForAnswerStatus("complete");
    const sourceId = await chat.conversationId();
    const exported = await fetchExport(baseUrl, sourceId, "json");

    await chat.page.getByLabel("Import conversation file").setInputFiles({
      name: "conversation.json",
      mimeType: "application/json",
      buffer: Buffer.from(exported),
    });
    await expect.poll(() => new URL(chat.page.url()).pathname, { timeout: UI_TIMEOUT }).toMatch(/^\/c\//);
    await expect.poll(() => chat.conversationId(), { timeout: UI_TIMEOUT }).not.toBe(sourceId);
    await expect.poll(() => chat.userMessages.count(), { timeout: UI_TIMEOUT }).toBe(1);
    const imported = await messagesOf(chat);
    const original = (await fetchConversation(baseUrl, sourceId)).body!.messages;
    expect(imported.map((m) => [m.role, m.content, m.status])).toEqual(original.map((m) => [m.role, m.content, m.status]));
  });

  it("the theme switch changes the page's theme and remembers it after a reload", async () => {
    const chat = await openChat();
    const isDark = () => chat.page.evaluate(() => document.documentElement.classList.contains("dark"));
    const initial = await isDark();
    const background = () => chat.page.evaluate(() => getComputedStyle(document.querySelector("main")!.parentElement!).backgroundColor);
    const initialBackground = await background();

    await chat.page.getByRole("button", { name: "Toggle theme" }).click();
    await expect.poll(isDark).toBe(!initial);
    expect(await background()).not.toBe(initialBackground);
    await chat.reload();
    expect(await isDark()).toBe(!initial);
  });
});
