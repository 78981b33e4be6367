/**
 * The chat UI end to end: the production build (`next start`) with the tiny generated model and a
 * fresh database, driven in Debian's Chromium. The tests share one conversation, created by the
 * first, in file order (vitest runs a file's tests sequentially); later ones create their own.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/app-server";
import { useChatSuite } from "./support/chat-suite";
import { fetchConversation, parseCaption, UI_TIMEOUT } from "./support/chat-page";

const QUESTION = "Tell me about lighthouses on rocky coasts.";
const XSS = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;

describe("chat UI (production build, tiny model)", () => {
  const { baseUrl, openChat } = useChatSuite();
  let conversationId = "";
  let title = "";

  async function savedConversation() {
    expect(conversationId, "the first test creates the conversation").not.toBe("");
    const { status, body } = await fetchConversation(baseUrl, conversationId);
    expect(status).toBe(200);
    return body!;
  }

  it("streams the answer token by token with a live tok/s caption, then saves both messages", async () => {
    const chat = await openChat();
    // Long enough to see it grow and to have words to search for; short enough for a busy CPU.
    await chat.setParam("Max new tokens", "96");
    await chat.recordAnswer();
    await chat.send(QUESTION);
    await expect.poll(() => chat.userMessages.first().innerText(), { timeout: UI_TIMEOUT }).toContain(QUESTION);
    await chat.waitForAnswerStatus("complete");

    const samples = await chat.answerSamples();
    const streamedLengths = [...new Set(samples.filter((s) => s.status === "streaming" && s.length > 0).map((s) => s.length))];
    // At least two different non-empty texts while still streaming: the answer grew in front of the user.
    expect(streamedLengths.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...streamedLengths)).toBeGreaterThan(Math.min(...streamedLengths));
    expect(samples.some((s) => s.status === "streaming" && s.caption?.includes("tok/s"))).toBe(true);

    const caption = parseCaption(await chat.captionOf(chat.lastAnswer).innerText());
    expect(caption).not.toBeNull();
    // The tiny model runs to "Max new tokens" on this question (no end-of-turn within 96 tokens).
    expect(caption!.tokens).toBe(96);
    expect(caption!.tokensPerSecond).toBeGreaterThan(0);

    conversationId = await chat.conversationId();
    const saved = await savedConversation();
    title = saved.title;
    expect(saved.messages.map((m) => [m.role, m.status])).toEqual([["user", "complete"], ["assistant", "complete"]]);
    expect(saved.messages[0]!.content).toBe(QUESTION);
    expect(saved.messages[1]!.content.trim().length).toBeGreaterThan(0);
    expect(saved.messages[1]!.stats).toMatchObject({ completionTokens: 96, stopReason: "length" });
    await expect.poll(() => chat.conversationItem(title).isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
  });

  it("after a reload, finds the conversation in the sidebar and shows both messages at /c/<id>", async () => {
    const saved = await savedConversation();
    const chat = await openChat("/");
    await chat.reload();
    const item = chat.conversationItem(title);
    await item.waitFor({ timeout: UI_TIMEOUT });
    await item.getByRole("link").click();
    await expect.poll(() => new URL(chat.page.url()).pathname, { timeout: UI_TIMEOUT }).toBe(`/c/${conversationId}`);

    await chat.reload();
    await expect.poll(() => chat.userMessages.count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await chat.userMessages.first().innerText()).toContain(QUESTION);
    expect(await chat.answers.count()).toBe(1);
    await chat.waitForAnswerStatus("complete");
    const firstWord = saved.messages[1]!.content.split(/[^\p{L}\p{N}]+/u).find((w) => w.length >= 3);
    if (firstWord) expect(await chat.answerBody().innerText()).toContain(firstWord);
    expect(parseCaption(await chat.captionOf(chat.lastAnswer).innerText())!.tokens).toBe(saved.messages[1]!.stats!.completionTokens);
  });

  it("renames the conversation: the new title shows in the sidebar and the header, and survives a reload", async () => {
    await savedConversation();
    const chat = await openChat(`/c/${conversationId}`);
    const renamed = "Lighthouses on rocky coasts";
    await chat.conversationItem(title).getByRole("button", { name: "Rename", exact: true }).click();
    const input = chat.page.getByRole("textbox", { name: "Conversation title" });
    await input.fill(renamed);
    await input.press("Enter");
    await chat.conversationItem(renamed).waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => chat.title.innerText(), { timeout: UI_TIMEOUT }).toBe(renamed);

    await chat.reload();
    await chat.conversationItem(renamed).waitFor({ timeout: UI_TIMEOUT });
    expect(await chat.conversationItem(title).count()).toBe(0);
    expect((await savedConversation()).title).toBe(renamed);
    title = renamed;
  });

  it("search finds the conversation by a word that only its answer contains, with a snippet", async () => {
    const saved = await savedConversation();
    const notInTitleOrQuestion = (w: string) => !`${title} ${QUESTION}`.toLowerCase().includes(w.toLowerCase());
    const word = saved.messages[1]!.content
      .split(/[^\p{L}\p{N}]+/u)
      .find((w) => /^[A-Za-z]{4,}$/.test(w) && notInTitleOrQuestion(w));
    expect(word, `no word of 4+ letters in the answer: ${saved.messages[1]!.content}`).toBeDefined();

    const chat = await openChat("/");
    await chat.search.fill(word!);
    const results = chat.history.getByRole("region", { name: "Search results" });
    const hit = results.getByRole("listitem", { name: title, exact: true });
    // The results region shows as soon as the query is debounced; the snippet comes with the server's answer.
    // Search is by prefix, so a longer word starting with the query may be the one highlighted.
    await expect
      .poll(async () => (await hit.locator("mark").allInnerTexts()).some((m) => m.toLowerCase().startsWith(word!.toLowerCase())), {
        timeout: UI_TIMEOUT,
      })
      .toBe(true);

    await chat.search.fill("zzqxjv nonexistent");
    await expect.poll(() => chat.history.innerText(), { timeout: UI_TIMEOUT }).toContain("No conversations match");
  });

  it("exports Markdown containing both messages", async () => {
    const saved = await savedConversation();
    const chat = await openChat(`/c/${conversationId}`);
    await chat.page.getByRole("button", { name: "More actions", exact: true }).click();
    const [download] = await Promise.all([
      chat.page.waitForEvent("download", { timeout: UI_TIMEOUT }),
      chat.page.getByRole("menuitem", { name: "Export Markdown", exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);
    const markdown = readFileSync(await download.path(), "utf8");
    expect(markdown).toContain(`# ${title}`);
    expect(markdown).toContain(QUESTION);
    expect(markdown).toContain(saved.messages[1]!.content.trim());
  });

  it("takes the README screenshots (1280×800 light and dark, 390×844 phone) and fits a 390 px phone without horizontal scroll", async () => {
    // Its own short conversation, so question, answer and caption all fit in the picture.
    const desktop = await openChat("/");
    await desktop.setParam("Max new tokens", "80");
    await desktop.send("Explain what a 1-bit (ternary) language model is, in simple terms.");
    await desktop.waitForAnswerStatus("complete");
    await desktop.captionOf(desktop.lastAnswer).waitFor();
    const id = await desktop.conversationId();
    await desktop.reload();
    await desktop.waitForAnswerStatus("complete");
    mkdirSync(path.join(ROOT, "docs"), { recursive: true });
    await desktop.page.screenshot({ path: path.join(ROOT, "docs/screenshot.png") });
    const isDark = () => desktop.page.evaluate(() => document.documentElement.classList.contains("dark"));
    if (!(await isDark())) await desktop.page.getByRole("button", { name: "Toggle theme" }).click();
    await expect.poll(isDark).toBe(true);
    await desktop.page.mouse.move(0, 0); // no hover highlight in the picture
    await desktop.page.screenshot({ path: path.join(ROOT, "docs/screenshot-dark.png") });

    const phone = await openChat(`/c/${id}`, { width: 390, height: 844 });
    await phone.waitForAnswerStatus("complete");
    const overflow = await phone.page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.innerWidth);
    // The sidebar is a drawer at this width: closed, it must not cover the chat; the menu button opens it.
    expect(await phone.history.isVisible()).toBe(false);
    await phone.page.getByRole("button", { name: "Open sidebar" }).click();
    await phone.history.waitFor({ timeout: UI_TIMEOUT });
    await phone.page.getByRole("complementary", { name: "Conversations" }).getByRole("button", { name: "Close sidebar" }).click();
    await phone.history.waitFor({ state: "hidden", timeout: UI_TIMEOUT });
    await phone.page.screenshot({ path: path.join(ROOT, "docs/screenshot-phone.png") });
  });

  it("Stop mid-answer keeps the partial answer, marked stopped, also after a reload", async () => {
    const chat = await openChat("/");
    await chat.setParam("Max new tokens", "2048");
    await chat.send("Write a very long story about the sea.");
    // Stop only once some text has arrived, so there is a partial answer to keep.
    await expect.poll(async () => (await chat.answerBody().count()) > 0 && (await chat.answerBody().innerText()).trim().length > 0, { timeout: 60_000 }).toBe(true);
    expect(await chat.lastAnswer.getAttribute("data-status")).toBe("streaming");
    await chat.stopButton.click();
    await chat.waitForAnswerStatus("stopped", chat.lastAnswer, UI_TIMEOUT);
    expect((await chat.answerBody().innerText()).trim().length).toBeGreaterThan(0);
    await chat.sendButton.waitFor();

    const id = await chat.conversationId();
    await expect
      .poll(async () => (await fetchConversation(baseUrl, id)).body?.messages.at(-1)?.status, { timeout: UI_TIMEOUT })
      .toBe("stopped");
    const stopped = (await fetchConversation(baseUrl, id)).body!.messages.at(-1)!;
    expect(stopped.content.trim().length).toBeGreaterThan(0);
    expect(stopped.stats?.completionTokens ?? 0).toBeLessThan(2048);

    await chat.reload();
    await chat.waitForAnswerStatus("stopped", chat.lastAnswer, UI_TIMEOUT);
    expect((await chat.answerBody().innerText()).trim().length).toBeGreaterThan(0);
    expect(await chat.lastAnswer.getByText("stopped", { exact: true }).isVisible()).toBe(true);
  });

  it("Esc stops the answer being written, like the Stop button", async () => {
    const chat = await openChat("/");
    await chat.setParam("Max new tokens", "2048");
    await chat.send("Describe every planet of the solar system in detail.");
    await expect.poll(async () => (await chat.answerBody().count()) > 0 && (await chat.answerBody().innerText()).trim().length > 0, { timeout: 60_000 }).toBe(true);
    await chat.page.keyboard.press("Escape");
    await chat.waitForAnswerStatus("stopped", chat.lastAnswer, UI_TIMEOUT);
    const id = await chat.conversationId();
    await expect
      .poll(async () => (await fetchConversation(baseUrl, id)).body?.messages.at(-1)?.status, { timeout: UI_TIMEOUT })
      .toBe("stopped");
  });

  it("max new tokens = 5 generates exactly 5 tokens", async () => {
    const chat = await openChat("/");
    await chat.setParam("Max new tokens", "5");
    await chat.send("Count from one to one hundred.");
    await chat.waitForAnswerStatus("complete");
    const caption = parseCaption(await chat.captionOf(chat.lastAnswer).innerText());
    expect(caption!.tokens).toBe(5);

    const answer = (await fetchConversation(baseUrl, await chat.conversationId())).body!.messages.at(-1)!;
    expect(answer.params?.maxNewTokens).toBe(5);
    expect(answer.stats).toMatchObject({ completionTokens: 5, stopReason: "length" });
  });

  it("shows an XSS payload in a user message as literal text and never runs it", async () => {
    const chat = await openChat("/");
    await chat.setParam("Max new tokens", "5");
    await chat.send(XSS);
    await expect.poll(() => chat.userMessages.first().innerText(), { timeout: UI_TIMEOUT }).toContain(XSS);
    await chat.waitForAnswerStatus("complete");
    const id = await chat.conversationId();

    for (const view of [chat, await openChat(`/c/${id}`)]) {
      await expect.poll(() => view.userMessages.first().innerText(), { timeout: UI_TIMEOUT }).toContain(XSS);
      expect(await view.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(await view.page.locator("article img, article script").count()).toBe(0);
    }
    expect((await fetchConversation(baseUrl, id)).body!.messages[0]!.content).toBe(XSS);
  });

  it("deletes the conversation after confirmation: gone from the sidebar and 404 from the API (the page itself asks for it no more)", async () => {
    await savedConversation();
    const chat = await openChat(`/c/${conversationId}`);
    // A re-read of the just-deleted open conversation shows as a 404 in the browser console.
    const notFound: string[] = [];
    chat.page.on("response", (response) => {
      if (response.status() === 404 && response.url().includes(`/api/conversations/${conversationId}`)) notFound.push(response.url());
    });
    await chat.conversationItem(title).getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = chat.page.getByRole("dialog", { name: "Delete conversation?" });
    await dialog.waitFor({ timeout: UI_TIMEOUT });
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();

    await chat.conversationItem(title).waitFor({ state: "detached", timeout: UI_TIMEOUT });
    await expect.poll(() => new URL(chat.page.url()).pathname, { timeout: UI_TIMEOUT }).toBe("/");
    expect((await fetchConversation(baseUrl, conversationId)).status).toBe(404);
    await chat.page.waitForLoadState("networkidle");
    expect(notFound).toEqual([]);
    await chat.reload();
    await chat.history.waitFor();
    expect(await chat.conversationItem(title).count()).toBe(0);
  });
});
