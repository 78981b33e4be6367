/** The rough edges a newcomer hit (issue 24 "Fix"), each checked where the user meets it. */
import { describe, expect, it } from "vitest";
import { useChatSuite } from "./support/chat-suite";
import { exportWithAnswer, fetchConversation, importViaApi, UI_TIMEOUT } from "./support/chat-page";

describe("rough edges", () => {
  const { baseUrl, openChat } = useChatSuite();

  it("the header says the conversation's title while it loads and while a compare runs in a new chat, never 'New chat'", async () => {
    const id = await importViaApi(baseUrl, exportWithAnswer("Header while loading", "Fine."));
    const chat = await openChat("/");
    await chat.conversationItem("Header while loading").waitFor({ timeout: UI_TIMEOUT });
    // Hold the conversation's own request: the page shows its loading state meanwhile.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await chat.page.route(`**/api/conversations/${id}`, async (route) => {
      await held;
      await route.continue().catch(() => undefined);
    });
    await chat.conversationItem("Header while loading").getByRole("link").first().click();
    await chat.page.getByRole("status").filter({ hasText: "Loading conversation…" }).waitFor({ timeout: UI_TIMEOUT });
    expect(await chat.title.innerText()).toBe("Header while loading");
    release();
    await chat.answerBody().waitFor({ timeout: UI_TIMEOUT });
    expect(await chat.title.innerText()).toBe("Header while loading");

    // A compare pair in a new chat: its title from the moment it starts.
    await chat.page.getByRole("link", { name: "New chat", exact: true }).click();
    await expect.poll(() => chat.title.innerText(), { timeout: UI_TIMEOUT }).toBe("New chat");
    const seen: string[] = [];
    await chat.page.exposeFunction("__headerSeen", (text: string) => void seen.push(text));
    await chat.page.evaluate(() => {
      const h1 = document.querySelector("header h1")!;
      new MutationObserver(() => (window as unknown as { __headerSeen: (t: string) => void }).__headerSeen(h1.textContent ?? "")).observe(h1, { subtree: true, childList: true, characterData: true });
    });
    await chat.setParam("Max new tokens", "8");
    await chat.composer.fill("Compare a header.");
    await chat.page.getByRole("button", { name: "Compare", exact: true }).click();
    const form = chat.page.getByRole("dialog", { name: "Compare two settings" });
    await form.getByRole("button", { name: "Compare", exact: true }).click();
    await expect.poll(() => chat.page.getByTestId("compare-column").count(), { timeout: UI_TIMEOUT }).toBe(2);
    // The columns show at once; the title once the server has created the conversation.
    await expect.poll(() => chat.title.innerText(), { timeout: UI_TIMEOUT }).toBe("Compare a header.");
    for (const column of await chat.page.getByTestId("compare-column").all()) await chat.waitForAnswerStatus("complete", column);
    expect(seen.filter((t) => t !== "Compare a header.")).toEqual([]);
  });

  it("? opens the shortcut list from the empty message box, focus there; with text in the box it is just text", async () => {
    const chat = await openChat("/");
    await chat.composer.focus();
    await chat.page.keyboard.press("Shift+Slash");
    const help = chat.page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor({ timeout: UI_TIMEOUT });
    expect(await chat.composer.inputValue()).toBe("");
    await chat.page.keyboard.press("Escape");
    await help.waitFor({ state: "hidden", timeout: UI_TIMEOUT });
    await chat.composer.fill("Why");
    await chat.composer.press("Shift+Slash");
    expect(await chat.composer.inputValue()).toBe("Why?");
    expect(await help.isVisible()).toBe(false);
  });

  it("'Tokens' is offered only on answers with token records: not on an imported answer without them, and no 404 in the console", async () => {
    const id = await importViaApi(baseUrl, exportWithAnswer("No token records", "Imported text."));
    const chat = await openChat("/");
    const failures: string[] = [];
    chat.page.on("console", (message) => {
      if (message.type() === "error") failures.push(message.text());
    });
    chat.page.on("response", (response) => {
      if (response.status() === 404) failures.push(response.url());
    });
    await chat.goto(`/c/${id}`);
    await chat.answerBody().waitFor({ timeout: UI_TIMEOUT });
    const tokensButton = (answer = chat.lastAnswer) => answer.getByRole("button", { name: "Tokens", exact: true });
    expect(await tokensButton().count()).toBe(0);
    // An answer written here has records: it offers the token view, which opens.
    await chat.setParam("Max new tokens", "4");
    await chat.send("Say something.");
    await chat.waitForAnswerStatus("complete");
    await tokensButton().waitFor({ timeout: UI_TIMEOUT });
    await tokensButton().click();
    await chat.lastAnswer.getByRole("region", { name: "Token view" }).waitFor({ timeout: UI_TIMEOUT });
    expect(await tokensButton(chat.answers.first()).count()).toBe(0);
    expect(failures).toEqual([]);
  });

  it("after Continue the caption covers the whole answer and its details say so; the details show '% of memory' on their first open", async () => {
    const chat = await openChat("/");
    await chat.setParam("Max new tokens", "4");
    const bandwidth = chat.page.waitForResponse((r) => r.url().includes("/api/efficiency"), { timeout: UI_TIMEOUT });
    await chat.send("Tell me a long story.");
    await chat.waitForAnswerStatus("complete");
    // Fetched as soon as a finished answer's caption shows, before anyone opens its details.
    await bandwidth;
    await chat.lastAnswer.getByRole("button", { name: "Generation details" }).click();
    const details = chat.page.getByRole("region", { name: "Generation details" });
    expect(await details.getByText(/% of memory\)/).count()).toBe(1);
    await chat.lastAnswer.getByRole("button", { name: "Generation details" }).click();

    await chat.lastAnswer.getByRole("button", { name: "Continue", exact: true }).click();
    await chat.waitForAnswerStatus("complete");
    const id = await chat.conversationId();
    await expect.poll(async () => (await fetchConversation(baseUrl, id)).body!.messages[1]!.stats?.continuedRuns, { timeout: UI_TIMEOUT }).toBe(2);
    const stats = (await fetchConversation(baseUrl, id)).body!.messages[1]!.stats!;
    expect(stats.completionTokens).toBe(8);
    await expect.poll(() => chat.captionOf(chat.lastAnswer).innerText(), { timeout: UI_TIMEOUT }).toContain("8 tokens");
    await chat.lastAnswer.getByRole("button", { name: "Generation details" }).click();
    expect(await details.innerText()).toMatch(/Continued\s+1×/);
  });

  it("the README's curl works as written: /v1 answers to the default hub id too, and says which model answered", async () => {
    const served = ((await (await fetch(`${baseUrl}/v1/models`)).json()) as { data: { id: string }[] }).data[0]!.id;
    expect(served).not.toBe("microsoft/bitnet-b1.58-2B-4T");
    const ask = (model: string) =>
      fetch(`${baseUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "Hello!" }], stream: false, max_tokens: 2 }),
      });
    const readme = await ask("microsoft/bitnet-b1.58-2B-4T");
    expect(readme.status).toBe(200);
    expect(((await readme.json()) as { model: string }).model).toBe(served);
    const unknown = await ask("gpt-4o");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain(`This server serves '${served}'`);
  });

  it("editing the first question retitles the conversation, also from an older version, and switching versions keeps the title", async () => {
    const chat = await openChat("/");
    await chat.setParam("Max new tokens", "4");
    await chat.send("First take?");
    await chat.waitForAnswerStatus("complete");
    const edit = async (text: string) => {
      await chat.userMessages.first().getByRole("button", { name: "Edit", exact: true }).click();
      await chat.page.getByRole("textbox", { name: "Edit message" }).fill(text);
      await chat.page.getByRole("button", { name: "Save and resend" }).click();
      await chat.waitForAnswerStatus("complete");
    };
    await edit("Second take?");
    await expect.poll(() => chat.title.innerText(), { timeout: UI_TIMEOUT }).toBe("Second take?");
    await chat.userMessages.first().getByRole("button", { name: "Previous version" }).click();
    await expect.poll(() => chat.userMessages.first().innerText(), { timeout: UI_TIMEOUT }).toContain("First take?");
    expect(await chat.title.innerText()).toBe("Second take?");
    await edit("Third take?");
    await expect.poll(() => chat.title.innerText(), { timeout: UI_TIMEOUT }).toBe("Third take?");
    await chat.conversationItem("Third take?").waitFor({ timeout: UI_TIMEOUT });
  });
});
