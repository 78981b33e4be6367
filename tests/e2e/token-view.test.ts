/**
 * The token view on the production build with the tiny model: the "Tokens" toggle shows the answer as
 * chips shaded by probability (axe-clean in both themes), a chip lists its alternatives, and Branch on
 * an alternative writes a new version of the answer that starts with that token (checked in the page
 * and through the API).
 */
import { describe, expect, it } from "vitest";
import type { MessageTokensDto } from "@/lib/schemas/tokens";
import { axeViolations, describeViolations } from "./support/axe";
import { useChatSuite } from "./support/chat-suite";
import { fetchConversation, UI_TIMEOUT } from "./support/chat-page";

describe("token view (production build, tiny model)", () => {
  const { baseUrl, openChat } = useChatSuite();

  async function tokensOf(conversationId: string, messageId: string): Promise<{ status: number; body: MessageTokensDto }> {
    const response = await fetch(`${baseUrl}/api/conversations/${conversationId}/messages/${messageId}/tokens`);
    return { status: response.status, body: (await response.json()) as MessageTokensDto };
  }

  it("Tokens shows chips with alternatives; Branch on an alternative makes a new version starting with it", async () => {
    const chat = await openChat();
    await chat.setParam("Max new tokens", "8");
    await chat.setParam("Temperature", "0.8");
    await chat.send("Pick a word.");
    await chat.waitForAnswerStatus("complete");
    const conversationId = await chat.conversationId();
    const original = (await fetchConversation(baseUrl, conversationId)).body!.messages[1]!;
    const recorded = await tokensOf(conversationId, original.id);
    expect(recorded.status).toBe(200);
    expect(recorded.body.tokens).toHaveLength(8);
    // The conversation itself does not carry the records.
    expect(JSON.stringify((await fetchConversation(baseUrl, conversationId)).body)).not.toContain('"top"');

    const answer = chat.lastAnswer;
    const toggle = answer.getByRole("button", { name: "Tokens", exact: true });
    await toggle.click();
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    const chips = answer.getByTestId("token-chip");
    await expect.poll(() => chips.count(), { timeout: UI_TIMEOUT }).toBe(8);

    // Focus (keyboard) shows a chip's alternatives: the recorded ones, most probable first.
    await chips.first().focus();
    await chat.page.keyboard.press("ArrowRight");
    await expect.poll(() => chat.page.evaluate(() => document.activeElement?.getAttribute("data-index")), { timeout: UI_TIMEOUT }).toBe("1");
    const alternatives = answer.getByTestId("token-alternatives").getByRole("listitem");
    await expect.poll(() => alternatives.count(), { timeout: UI_TIMEOUT }).toBe(recorded.body.tokens[1]!.top.length);
    expect(await answer.getByRole("group", { name: "Alternatives for token 2" }).isVisible()).toBe(true);

    // Readable and named in both themes (chips are tinted by probability).
    for (let round = 0; round < 2; round++) {
      const violations = await axeViolations(chat.page);
      expect(violations, describeViolations(violations)).toEqual([]);
      await chat.page.getByRole("button", { name: "Toggle theme" }).click();
    }

    // Hovering (pointer) shows the first chip's list; Branch on its first other alternative.
    await chips.first().hover();
    await chips.first().click();
    const first = recorded.body.tokens[0]!;
    const alternative = first.top.find((alt) => alt.id !== first.id)!;
    await answer.getByTestId("token-alternatives").getByRole("button", { name: /^Branch with / }).first().click();

    await expect.poll(() => chat.lastAnswer.getByTestId("version-position").innerText(), { timeout: UI_TIMEOUT }).toBe("2/2");
    await chat.waitForAnswerStatus("complete");
    const stored = (await fetchConversation(baseUrl, conversationId)).body!;
    const branch = stored.messages[1]!;
    expect(branch.siblings).toMatchObject({ count: 2, index: 1 });
    expect(branch.id).not.toBe(original.id);
    const branched = await tokensOf(conversationId, branch.id);
    expect(branched.body.tokens[0]!.id).toBe(alternative.id);
    expect(branched.body.tokens.length).toBeGreaterThan(1);
    expect(branch.content.startsWith(alternative.text.replace(/\uFFFD/g, ""))).toBe(true);
  });
});
