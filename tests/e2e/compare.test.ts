/**
 * Compare on the production build with the tiny model: one question, two settings, two columns with
 * their own captions; "Keep this one" continues the chat with the kept answer (the other stays a
 * version). At phone width the columns stack; the form works from the keyboard; no axe violations in
 * either theme.
 */
import { describe, expect, it } from "vitest";
import { axeViolations, describeViolations } from "./support/axe";
import { useChatSuite } from "./support/chat-suite";
import { ChatPage, fetchConversation, UI_TIMEOUT } from "./support/chat-page";

describe("compare (production build, tiny model)", () => {
  const { baseUrl, openChat } = useChatSuite();

  async function startCompare(chat: ChatPage, question: string): Promise<void> {
    await chat.setParam("Max new tokens", "24");
    await chat.composer.fill(question);
    await chat.page.getByRole("button", { name: "Compare", exact: true }).click();
    const form = chat.page.getByRole("dialog", { name: "Compare two settings" });
    await form.waitFor({ timeout: UI_TIMEOUT });
    expect(await form.getByRole("button", { name: "Temperature 0 vs 0.8" }).getAttribute("aria-pressed")).toBe("true");
    await form.getByRole("button", { name: "Compare", exact: true }).click();
  }

  const columns = (chat: ChatPage) => chat.page.getByTestId("compare-column");

  it("streams two captioned columns (no axe violations in either theme); Keep this one continues with that answer and the other stays a version", async () => {
    const chat = await openChat();
    await startCompare(chat, "Name a fruit.");
    await expect.poll(() => columns(chat).count(), { timeout: UI_TIMEOUT }).toBe(2);
    const [a, b] = [columns(chat).nth(0), columns(chat).nth(1)];
    expect(await a.getByRole("heading").innerText()).toMatch(/Answer A\s*—\s*temperature 0$/);
    expect(await b.getByRole("heading").innerText()).toMatch(/Answer B\s*—\s*temperature 0\.8$/);
    for (const column of [a, b]) await chat.waitForAnswerStatus("complete", column);
    for (const column of [a, b]) {
      expect((await column.getByTestId("compare-text").innerText()).trim().length).toBeGreaterThan(0);
      expect(await chat.captionOf(column).innerText()).toMatch(/tok/);
    }
    const expectClean = async () => {
      const violations = await axeViolations(chat.page);
      expect(violations, describeViolations(violations)).toEqual([]);
    };
    await expectClean();
    const isDark = () => chat.page.evaluate(() => document.documentElement.classList.contains("dark"));
    const wasDark = await isDark();
    await chat.page.getByRole("button", { name: "Toggle theme" }).click();
    await expect.poll(isDark).toBe(!wasDark);
    await expectClean();
    // Until one is kept the chat waits for the choice.
    expect(await chat.composerHint.innerText()).toContain("Keep one of the two answers");

    const id = await chat.conversationId();
    const before = (await fetchConversation(baseUrl, id)).body!;
    const [leftId, rightId] = before.messages[1]!.siblings.ids;
    expect(before.messages[1]!.siblings.count).toBe(2);
    await b.getByRole("button", { name: "Keep this one" }).click();
    await expect.poll(() => columns(chat).count(), { timeout: UI_TIMEOUT }).toBe(0);
    const kept = (await fetchConversation(baseUrl, id)).body!;
    expect(kept.activeLeafId).toBe(rightId);
    expect(kept.messages.map((m) => m.id)).toEqual([before.messages[0]!.id, rightId]);
    expect(kept.messages[1]!.siblings).toEqual({ index: 1, count: 2, ids: [leftId, rightId] });
    expect(kept.messages[1]!.params).toMatchObject({ temperature: 0.8, maxNewTokens: 24 });
    expect(await chat.lastAnswer.getByTestId("version-position").innerText()).toBe("2/2");

    // The chat goes on from the kept answer.
    await chat.send("And another one?");
    await chat.waitForAnswerStatus("complete");
    const after = (await fetchConversation(baseUrl, id)).body!;
    expect(after.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(after.messages[1]!.id).toBe(rightId);
    expect(after.messages[2]!.parentId).toBe(rightId);
  });

  it("phone width: the columns stack; the form opens and closes from the keyboard; no axe violations", async () => {
    const chat = await openChat("/", { width: 390, height: 844 });
    await chat.setParam("Max new tokens", "8");
    await chat.composer.fill("Hello?");
    const button = chat.page.getByRole("button", { name: "Compare", exact: true });
    await button.focus();
    await chat.page.keyboard.press("Enter");
    const form = chat.page.getByRole("dialog", { name: "Compare two settings" });
    await form.waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => chat.page.evaluate(() => document.activeElement?.textContent)).toBe("Temperature 0 vs 0.8");
    await chat.page.keyboard.press("Escape");
    await expect.poll(() => form.isHidden()).toBe(true);
    expect(await chat.page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Compare");
    await chat.page.keyboard.press("Enter");
    await form.waitFor({ timeout: UI_TIMEOUT });
    await form.getByRole("button", { name: "Compare", exact: true }).focus();
    await chat.page.keyboard.press("Enter");

    await expect.poll(() => columns(chat).count(), { timeout: UI_TIMEOUT }).toBe(2);
    for (const i of [0, 1]) await chat.waitForAnswerStatus("complete", columns(chat).nth(i));
    const [boxA, boxB] = [await columns(chat).nth(0).boundingBox(), await columns(chat).nth(1).boundingBox()];
    expect(boxB!.y).toBeGreaterThanOrEqual(boxA!.y + boxA!.height);
    expect(boxA!.width).toBeGreaterThan(300);

    const violations = await axeViolations(chat.page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it("a reload mid-compare re-attaches to both columns; Stop stops both: the running one kept as stopped, the waiting one taken back", async () => {
    // This suite's server decodes one answer at a time (BITNET_PARALLEL=1): B waits for A, and the page says so.
    const chat = await openChat();
    await chat.setParam("Max new tokens", "2048");
    await chat.composer.fill("Tell two very long stories about the sea.");
    await chat.page.getByRole("button", { name: "Compare", exact: true }).click();
    await chat.page.getByRole("dialog", { name: "Compare two settings" }).getByRole("button", { name: "Compare", exact: true }).click();
    const text = (i: number) => columns(chat).nth(i).getByTestId("compare-text");
    await expect.poll(async () => (await text(0).count()) > 0 && (await text(0).innerText()).trim().length > 0, { timeout: 60_000 }).toBe(true);
    const id = await chat.conversationId();

    await chat.reload();
    await expect.poll(() => columns(chat).count(), { timeout: UI_TIMEOUT }).toBe(2);
    expect(await columns(chat).nth(0).getAttribute("data-status")).toBe("streaming");
    expect(await columns(chat).nth(1).innerText()).toContain("Waiting for the other answer");
    // The question shows above the columns again (once), read from the stored conversation.
    const section = chat.page.getByRole("region", { name: "Compare" });
    await expect.poll(() => section.getByText("Tell two very long stories about the sea.", { exact: true }).count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await chat.userMessages.count()).toBe(0);
    expect(await chat.page.getByText("run one after the other on this machine").isVisible()).toBe(true);
    await chat.stopButton.click();
    await chat.waitForAnswerStatus("stopped", columns(chat).nth(0), UI_TIMEOUT);
    await expect.poll(() => columns(chat).nth(1).getAttribute("data-status"), { timeout: UI_TIMEOUT }).toBe("not-run");
    expect(await columns(chat).nth(1).getByRole("button", { name: "Keep this one" }).isDisabled()).toBe(true);

    const stored = (await fetchConversation(baseUrl, id)).body!;
    expect(stored.answering).toBe(false);
    expect(stored.messages.map((m) => [m.role, m.status])).toEqual([["user", "complete"], ["assistant", "stopped"]]);
    expect(stored.messages[1]!.siblings.count).toBe(1);
    expect(stored.messages[1]!.content.trim().length).toBeGreaterThan(0);
  });
});
