/**
 * Honest waiting for long prompts (issue 24): while the model reads a long prompt the answer says how far
 * it got and about how long is left, from the speed measured on this machine. The tiny model reads a
 * prompt in well under a second, so the page's downloads are paced (as ChatPage.recordAnswer does) for
 * each progress event to reach it on its own, and every status the page showed is recorded.
 */
import { describe, expect, it } from "vitest";
import { useChatSuite } from "./support/chat-suite";

describe("the prompt's time left", () => {
  const { openChat } = useChatSuite();

  it("a long prompt shows 'Reading the prompt — done / total tokens · about N s left'", async () => {
    const chat = await openChat("/");
    await chat.setParam("Max new tokens", "4");
    await chat.page.evaluate(() => {
      const w = window as unknown as { __statuses: string[] };
      w.__statuses = [];
      new MutationObserver(() => {
        const status = [...document.querySelectorAll('article[data-role="assistant"] [role="status"]')].at(-1)?.textContent ?? "";
        if (status && w.__statuses.at(-1) !== status) w.__statuses.push(status);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await chat.recordAnswer();
    // About 2,700 tokens: many prefill chunks.
    await chat.send(`Read all of this: ${Array.from({ length: 1000 }, (_, i) => `w${i}`).join(" ")}`);
    await chat.waitForAnswerStatus("complete", chat.lastAnswer, 180_000);
    await chat.answerSamples();
    const statuses = await chat.page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
    const withEta = statuses.filter((s) => /^Reading the prompt — \d+ \/ \d+ tokens · (about \d+ (s|min)|less than a second)/.test(s));
    expect(withEta.length, statuses.join("\n")).toBeGreaterThan(0);
  }, 240_000);
});
