/**
 * A queued answer has an address at once (issue 24): a new chat whose answer waits in line gets
 * `/c/<id>`, its title in the header and its sidebar row while it waits, and a reload re-attaches to
 * it still waiting. The shared server runs one answer at a time, so answers started first hold the model.
 */
import { describe, expect, it } from "vitest";
import { useChatSuite } from "./support/chat-suite";
import { UI_TIMEOUT } from "./support/chat-page";

describe("a queued answer's address", () => {
  const { baseUrl, openChat } = useChatSuite();

  async function holdModel(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const response = await fetch(`${baseUrl}/api/chat`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ content: `Hold the model in line ${i}.`, params: { maxNewTokens: 2048 } }),
      });
      expect(response.status).toBe(200);
      await response.body!.cancel();
    }
  }

  it("gets /c/<id>, its title and sidebar row while it waits, and a reload finds it still waiting", async () => {
    const chat = await openChat("/");
    await chat.setParam("Max new tokens", "4");
    // Five answers ahead of it (one running, four waiting): many seconds in line even on an idle machine.
    await holdModel(5);
    const question = "Where am I in the line today?";
    await chat.send(question);
    const waiting = chat.lastAnswer.getByRole("status").filter({ hasText: /^Waiting — position \d+ in queue/ });
    await waiting.waitFor({ timeout: UI_TIMEOUT });
    // All of this while it still waits: the address, the header, the sidebar row.
    const id = await chat.conversationId();
    await expect.poll(() => chat.title.innerText(), { timeout: UI_TIMEOUT }).toBe(question);
    await chat.history.locator(`a[href="/c/${id}"]`).waitFor({ timeout: UI_TIMEOUT });
    expect(await waiting.count()).toBe(1);

    await chat.reload();
    expect(new URL(chat.page.url()).pathname).toBe(`/c/${id}`);
    await chat.lastAnswer.getByRole("status").filter({ hasText: /^Waiting — position \d+ in queue/ }).waitFor({ timeout: UI_TIMEOUT });
    expect(await chat.title.innerText()).toBe(question);
  }, 180_000);

  it("stopped while still in line, a new chat goes back to / and leaves no sidebar row", async () => {
    const chat = await openChat("/");
    await holdModel(5);
    await chat.send("Never mind, cancel me.");
    await chat.lastAnswer.getByRole("status").filter({ hasText: /^Waiting/ }).waitFor({ timeout: UI_TIMEOUT });
    const id = await chat.conversationId();
    await chat.stopButton.click();
    await expect.poll(() => new URL(chat.page.url()).pathname, { timeout: UI_TIMEOUT }).toBe("/");
    await expect.poll(() => chat.history.locator(`a[href="/c/${id}"]`).count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect(await chat.composer.inputValue()).toBe("Never mind, cancel me.");
    expect((await fetch(`${baseUrl}/api/conversations/${id}`)).status).toBe(404);
  }, 180_000);
});
