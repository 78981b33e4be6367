/**
 * Several answers at once (issue 12), end to end on the production build with the tiny model and
 * BITNET_PARALLEL=2: two tabs answering at the same time both stream — the second answer's text shows
 * while the first is still streaming, rather than after it — and each caption shows its own speed, with
 * the details saying how many answers shared the model.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "./support/app-server";
import { launchBrowser } from "./support/browser";
import { ChatPage, fetchConversation, parseCaption, UI_TIMEOUT } from "./support/chat-page";

const LONG_MS = 240_000;

describe("two answers at once (BITNET_PARALLEL=2)", () => {
  let server: AppServer;
  let browser: Browser;
  const pages: ChatPage[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startAppServer({ BITNET_MODEL: inject("tinyOnnx"), BITNET_PARALLEL: "2" }, { waitForModel: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await Promise.all(pages.map((p) => p.close()));
    await browser?.close();
    await server?.stop();
  });

  it("both tabs stream at the same time and each caption shows its own speed", async () => {
    const first = await ChatPage.open(browser, server.baseUrl);
    const second = await ChatPage.open(browser, server.baseUrl);
    pages.push(first, second);
    await first.setParam("Max new tokens", "2048");
    await second.setParam("Max new tokens", "96");
    await first.send("Write a very long story about two rivers.");
    // The first answer is streaming…
    await expect.poll(async () => (await first.answerBody().count()) > 0 && (await first.answerBody().innerText()).trim().length > 0, { timeout: 60_000 }).toBe(true);
    await second.recordAnswer({ paced: false });
    await second.send("Meanwhile, a short poem.");
    // …and the second answer's text shows while the first is still streaming: no waiting in line.
    await expect.poll(async () => (await second.answerBody().count()) > 0 && (await second.answerBody().innerText()).trim().length > 0, { timeout: 60_000 }).toBe(true);
    expect(await first.lastAnswer.getAttribute("data-status")).toBe("streaming");
    const samples = await second.answerSamples();
    expect(samples.some((s) => s.status !== null && s.status.startsWith("Waiting"))).toBe(false);

    await second.waitForAnswerStatus("complete", second.lastAnswer, LONG_MS);
    await first.stopButton.click();
    await first.waitForAnswerStatus("stopped", first.lastAnswer, LONG_MS);

    // Each caption: its own tokens and speed, as stored with its own answer.
    for (const chat of [first, second]) {
      const saved = (await fetchConversation(server.baseUrl, await chat.conversationId())).body!;
      const stats = saved.messages.at(-1)!.stats!;
      expect(stats.answersSharing).toBe(2);
      const caption = await chat.captionOf(chat.lastAnswer).innerText();
      const numbers = parseCaption(caption);
      expect(numbers).not.toBeNull();
      expect(numbers!.tokens).toBe(stats.completionTokens);
      expect(numbers!.tokensPerSecond).toBeCloseTo(stats.decodeTokPerS, 0);
      await chat.lastAnswer.getByRole("button", { name: "Generation details" }).click();
      const details = chat.page.getByRole("region", { name: "Generation details" });
      await expect.poll(() => details.getByText("Answers sharing the model").count(), { timeout: UI_TIMEOUT }).toBe(1);
      await expect.poll(() => details.getByText(/up to 2 at once/).count(), { timeout: UI_TIMEOUT }).toBe(1);
    }
    const [a, b] = await Promise.all(
      [first, second].map(async (chat) => (await fetchConversation(server.baseUrl, await chat.conversationId())).body!.messages.at(-1)!.stats!),
    );
    // Own speeds: two different answers, two different measurements (not one shared figure).
    expect(a.completionTokens).not.toBe(b.completionTokens);
  }, LONG_MS + 60_000);

  it("a compare pair streams both columns at the same time; Stop stops both, both kept as stopped", async () => {
    const chat = await ChatPage.open(browser, server.baseUrl);
    pages.push(chat);
    await chat.setParam("Max new tokens", "2048");
    await chat.composer.fill("Two long stories about mountains, please.");
    await chat.page.getByRole("button", { name: "Compare", exact: true }).click();
    await chat.page.getByRole("dialog", { name: "Compare two settings" }).getByRole("button", { name: "Compare", exact: true }).click();
    const columns = chat.page.getByTestId("compare-column");
    const hasText = async (i: number) => {
      const text = columns.nth(i).getByTestId("compare-text");
      return (await text.count()) > 0 && (await text.innerText()).trim().length > 0;
    };
    await expect.poll(async () => (await hasText(0)) && (await hasText(1)), { timeout: 60_000 }).toBe(true);
    expect(await columns.nth(0).getAttribute("data-status")).toBe("streaming");
    expect(await columns.nth(1).getAttribute("data-status")).toBe("streaming");
    expect(await chat.page.getByText("run one after the other").count()).toBe(0);
    await chat.stopButton.click();
    for (const i of [0, 1]) await chat.waitForAnswerStatus("stopped", columns.nth(i), UI_TIMEOUT);

    const id = await chat.conversationId();
    const ids = (await fetchConversation(server.baseUrl, id)).body!.messages[1]!.siblings.ids;
    const tree = (await (await fetch(`${server.baseUrl}/api/conversations/${id}/export?format=json`)).json()) as { messages: { id: string; status: string; stats: { answersSharing?: number } | null }[] };
    const answers = ids.map((answerId) => tree.messages.find((m) => m.id === answerId)!);
    expect(answers.map((m) => m.status)).toEqual(["stopped", "stopped"]);
    expect(answers.map((m) => m.stats?.answersSharing)).toEqual([2, 2]);
  }, LONG_MS);
});
