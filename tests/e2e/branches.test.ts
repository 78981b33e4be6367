/**
 * Versions and branches on the production build with the tiny model: regenerate keeps every version
 * behind `‹ n/m ›`, editing an earlier question starts a new branch with the old one reachable, and
 * Continue extends an answer cut by the max-tokens limit in place.
 */
import { describe, expect, it } from "vitest";
import { useChatSuite } from "./support/chat-suite";
import { ChatPage, fetchConversation, fetchExport, UI_TIMEOUT } from "./support/chat-page";

describe("versions and branches (production build, tiny model)", () => {
  const { baseUrl, openChat } = useChatSuite();

  async function newChat(maxNewTokens = "6"): Promise<ChatPage> {
    const chat = await openChat();
    await chat.setParam("Max new tokens", maxNewTokens);
    return chat;
  }

  async function stored(chat: ChatPage) {
    const { status, body } = await fetchConversation(baseUrl, await chat.conversationId());
    expect(status).toBe(200);
    return body!;
  }

  const position = (message: ReturnType<ChatPage["answers"]["last"]>) => message.getByTestId("version-position");

  it("regenerate twice → ‹ 3/3 ›, and switching shows each version (also after a reload)", async () => {
    const chat = await newChat();
    await chat.send("Name a colour.");
    await chat.waitForAnswerStatus("complete");
    for (let n = 2; n <= 3; n += 1) {
      await chat.lastAnswer.getByRole("button", { name: "Regenerate", exact: true }).click();
      await expect.poll(() => position(chat.lastAnswer).innerText(), { timeout: UI_TIMEOUT }).toBe(`${n}/${n}`);
      await chat.waitForAnswerStatus("complete");
    }
    await expect.poll(async () => (await stored(chat)).messages[1]?.siblings.count, { timeout: UI_TIMEOUT }).toBe(3);
    expect(await chat.answers.count()).toBe(1);
    const ids = (await stored(chat)).messages[1]!.siblings.ids;
    // Each version's stored text (the tree export has them all), to check what the page shows.
    const tree = JSON.parse(await fetchExport(baseUrl, await chat.conversationId(), "json")) as { messages: { id: string; content: string }[] };
    const contentOf = new Map(tree.messages.map((m) => [m.id, m.content]));
    // Markdown rendering may drop punctuation and spacing of the tiny model's random text; letters and digits stay.
    const letters = (text: string) => text.replace(/[^\p{L}\p{N}]/gu, "");
    // The random text may open a code block: its header ("code" and a copy button) is not the model's text.
    const shownText = () =>
      chat.answerBody().evaluate((body) => {
        const copy = body.cloneNode(true) as HTMLElement;
        for (const header of copy.querySelectorAll(".not-prose > div:first-child")) header.remove();
        return copy.textContent ?? "";
      });
    const shows = async (n: number) => {
      await expect.poll(() => position(chat.lastAnswer).innerText(), { timeout: UI_TIMEOUT }).toBe(`${n}/3`);
      await expect.poll(async () => letters(await shownText()), { timeout: UI_TIMEOUT }).toBe(letters(contentOf.get(ids[n - 1]!)!));
    };
    await shows(3);

    const previous = chat.lastAnswer.getByRole("button", { name: "Previous version" });
    const next = chat.lastAnswer.getByRole("button", { name: "Next version" });
    expect(await next.isDisabled()).toBe(true);
    for (const n of [2, 1]) {
      await previous.click();
      await shows(n);
      expect((await stored(chat)).activeLeafId).toBe(ids[n - 1]);
    }
    expect(await previous.isDisabled()).toBe(true);
    await next.click();
    await shows(2);

    // The choice is stored: a reload shows the same version.
    await chat.reload();
    await shows(2);
  });

  it("regenerate on an earlier answer: a new version of that answer on a new branch, the old branch reachable", async () => {
    const chat = await newChat();
    for (const [i, question] of ["First question?", "Second question?"].entries()) {
      await chat.send(question);
      await expect.poll(() => chat.userMessages.count(), { timeout: UI_TIMEOUT }).toBe(i + 1);
      await chat.waitForAnswerStatus("complete");
    }
    const before = await stored(chat);
    expect(before.messages).toHaveLength(4);
    // Every answer offers Regenerate, not only the last.
    expect(await chat.answers.nth(1).getByRole("button", { name: "Regenerate", exact: true }).count()).toBe(1);

    await chat.answers.first().getByRole("button", { name: "Regenerate", exact: true }).click();
    await expect.poll(() => position(chat.answers.first()).innerText(), { timeout: UI_TIMEOUT }).toBe("2/2");
    await chat.waitForAnswerStatus("complete");
    await expect.poll(() => chat.answers.count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await chat.userMessages.count()).toBe(1);
    const after = await stored(chat);
    expect(after.messages.map((m) => m.id)).toEqual([before.messages[0]!.id, after.messages[1]!.id]);
    expect(after.messages[1]!.id).not.toBe(before.messages[1]!.id);
    expect(after.messages[1]!.siblings.ids).toEqual([before.messages[1]!.id, after.messages[1]!.id]);
    expect(after.messageCount).toBe(5);

    // The old branch, both turns, is one click away.
    await chat.answers.first().getByRole("button", { name: "Previous version" }).click();
    await expect.poll(() => chat.answers.count(), { timeout: UI_TIMEOUT }).toBe(2);
    expect(await position(chat.answers.first()).innerText()).toBe("1/2");
    expect((await stored(chat)).messages.map((m) => m.id)).toEqual(before.messages.map((m) => m.id));
  });

  it("editing the first message of a 3-turn chat starts a new branch; the old branch stays reachable", async () => {
    const chat = await newChat();
    const questions = ["First question?", "Second question?", "Third question?"];
    for (const question of questions) {
      await chat.send(question);
      await expect.poll(() => chat.userMessages.count(), { timeout: UI_TIMEOUT }).toBe(questions.indexOf(question) + 1);
      await chat.waitForAnswerStatus("complete");
    }
    const before = await stored(chat);
    expect(before.messages).toHaveLength(6);

    await chat.userMessages.first().getByRole("button", { name: "Edit", exact: true }).click();
    await chat.page.getByRole("textbox", { name: "Edit message" }).fill("A different first question?");
    await chat.page.getByRole("button", { name: "Save and resend" }).click();
    await chat.waitForAnswerStatus("complete");
    await expect.poll(() => chat.userMessages.count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await chat.userMessages.first().innerText()).toContain("A different first question?");
    await expect.poll(() => position(chat.userMessages.first()).innerText(), { timeout: UI_TIMEOUT }).toBe("2/2");
    const after = await stored(chat);
    expect(after.messages.map((m) => m.content)[0]).toBe("A different first question?");
    expect(after.messageCount).toBe(8);

    // Back to the old branch: all three turns, unchanged.
    await chat.userMessages.first().getByRole("button", { name: "Previous version" }).click();
    await expect.poll(() => chat.userMessages.count(), { timeout: UI_TIMEOUT }).toBe(3);
    expect(await position(chat.userMessages.first()).innerText()).toBe("1/2");
    for (const [i, question] of questions.entries()) expect(await chat.userMessages.nth(i).innerText()).toContain(question);
    expect((await stored(chat)).messages.map((m) => m.id)).toEqual(before.messages.map((m) => m.id));

    // And forward again to the edited one.
    await chat.userMessages.first().getByRole("button", { name: "Next version" }).click();
    await expect.poll(() => chat.userMessages.count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await chat.userMessages.first().innerText()).toContain("A different first question?");
  });

  it("Continue extends a length-capped answer in place", async () => {
    const chat = await newChat("4");
    await chat.send("Tell me a long story.");
    await chat.waitForAnswerStatus("complete");
    const capped = (await stored(chat)).messages[1]!;
    expect(capped.stats?.stopReason).toBe("length");

    const continueButton = chat.lastAnswer.getByRole("button", { name: "Continue", exact: true });
    await continueButton.click();
    await chat.waitForAnswerStatus("complete");
    await expect.poll(async () => (await stored(chat)).messages[1]?.stats?.completionTokens, { timeout: UI_TIMEOUT }).toBeGreaterThan(capped.stats!.completionTokens);
    const extended = (await stored(chat)).messages;
    expect(extended).toHaveLength(2);
    expect(extended[1]!.id).toBe(capped.id);
    expect(extended[1]!.content.startsWith(capped.content)).toBe(true);
    expect(extended[1]!.content.length).toBeGreaterThan(capped.content.length);
    expect(await chat.answers.count()).toBe(1);
  });
});
