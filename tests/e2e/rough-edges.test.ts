/** The rough edges a newcomer hit (issue 24 "Fix"), each checked where the user meets it. */
import { describe, expect, it } from "vitest";
import { useChatSuite } from "./support/chat-suite";
import { UI_TIMEOUT } from "./support/chat-page";

describe("rough edges", () => {
  const { openChat } = useChatSuite();

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
});
