/**
 * Exact replay on the production build with the tiny model: an answer sampled at temperature 0.8
 * with a random seed, replayed from its Replay button, comes out identical and the page says so — also
 * after a reload.
 */
import { describe, expect, it } from "vitest";
import { useChatSuite } from "./support/chat-suite";
import { fetchConversation, UI_TIMEOUT } from "./support/chat-page";

describe("replay (production build, tiny model)", () => {
  const { baseUrl, openChat } = useChatSuite();

  it("Replay of a sampled answer says identical, and the new version has the same text and settings", async () => {
    const chat = await openChat();
    await chat.setParam("Temperature", "0.8");
    await chat.setParam("Max new tokens", "24");
    await chat.send("Tell me something surprising.");
    await chat.waitForAnswerStatus("complete");

    await chat.lastAnswer.getByRole("button", { name: "Replay", exact: true }).click();
    const note = chat.lastAnswer.getByTestId("replay-note");
    await note.waitFor({ timeout: 90_000 });
    expect(await note.innerText()).toMatch(/Replay identical.*same tokens\..*Exact only on the same model build and thread count/s);
    expect(await chat.lastAnswer.getByTestId("version-position").innerText()).toBe("2/2");
    // The verdict is stored with the answer: a reload still shows it.
    await chat.reload();
    await chat.lastAnswer.getByTestId("replay-note").waitFor({ timeout: UI_TIMEOUT });
    expect(await chat.lastAnswer.getByTestId("replay-note").innerText()).toMatch(/Replay identical.*same tokens\./s);

    const { body } = await fetchConversation(baseUrl, await chat.conversationId());
    const replayed = body!.messages[1]!;
    expect(replayed.siblings.count).toBe(2);
    const first = replayed.siblings.ids[0];
    // The original is one click away and holds the same text and the same settings (seed included).
    await chat.lastAnswer.getByRole("button", { name: "Show the original" }).click();
    await expect.poll(async () => (await fetchConversation(baseUrl, body!.id)).body?.activeLeafId, { timeout: UI_TIMEOUT }).toBe(first);
    const original = (await fetchConversation(baseUrl, body!.id)).body!.messages[1]!;
    expect(original.content).toBe(replayed.content);
    expect(original.params).toEqual(replayed.params);
    expect(original.params).toMatchObject({ temperature: 0.8, maxNewTokens: 24, seed: expect.any(Number) });
    expect(replayed.content.length).toBeGreaterThan(0);
  });
});
