/**
 * "Keyboard reachable, every control with an accessible name": axe-core's WCAG A/AA rules on the
 * main screens (empty chat, an answered conversation with the settings open, the error state is
 * covered by its own server in model-error.test.ts), in the light and the dark theme, and at phone
 * width with the sidebar drawer open.
 */
import { describe, expect, it } from "vitest";
import { axeViolations, describeViolations } from "./support/axe";
import { useChatSuite } from "./support/chat-suite";
import { ChatPage, UI_TIMEOUT } from "./support/chat-page";

describe("accessibility (axe-core, WCAG 2.1 A/AA)", () => {
  const { baseUrl, openChat } = useChatSuite();
  let conversationPath = "";

  async function expectNoViolations(chat: ChatPage, skipRules: string[] = []): Promise<void> {
    const violations = await axeViolations(chat.page, skipRules);
    expect(violations, describeViolations(violations)).toEqual([]);
  }

  it("the empty chat with its example prompts", async () => {
    await expectNoViolations(await openChat());
  });

  it("an answered conversation with the settings open, in both themes, contrast included", async () => {
    const chat = await openChat();
    await chat.setParam("Max new tokens", "24");
    await chat.send("Write one sentence about accessibility.");
    await chat.waitForAnswerStatus("complete");
    conversationPath = `/c/${await chat.conversationId()}`;
    await chat.openSettings();
    await expectNoViolations(chat);

    const isDark = () => chat.page.evaluate(() => document.documentElement.classList.contains("dark"));
    const wasDark = await isDark();
    await chat.page.getByRole("button", { name: "Toggle theme" }).click();
    await expect.poll(isDark).toBe(!wasDark);
    await expectNoViolations(chat);
    await chat.closeSettings();
    await expectNoViolations(chat);
  });

  it("Tab reaches the controls in order, each visible and named, up to the composer", async () => {
    const chat = await openChat(conversationPath || "/");
    // Tab through the page and collect what receives focus: each must be a named, visible control.
    const seen: string[] = [];
    // Bounded: the sidebar may list many conversations (one stop each) when the whole suite ran.
    for (let i = 0; i < 200 && !seen.includes("Message"); i++) {
      await chat.page.keyboard.press("Tab");
      const focused = await chat.page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const name = el.getAttribute("aria-label") ?? el.textContent?.trim() ?? "";
        const labelled = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent?.trim() : undefined;
        const rect = el.getBoundingClientRect();
        return { tag: el.tagName.toLowerCase(), name: name || labelled || el.getAttribute("title") || "", visible: rect.width > 0 && rect.height > 0 };
      });
      if (!focused) continue;
      expect(focused.visible, `focused ${focused.tag} "${focused.name}" is not visible`).toBe(true);
      expect(focused.name, `focused ${focused.tag} has no name`).not.toBe("");
      seen.push(focused.name);
    }
    for (const control of ["Search conversations", "Toggle theme", "Message"]) expect(seen).toContain(control);
  });

  it("phone width with the sidebar drawer open", async () => {
    const chat = await openChat(conversationPath || "/", { width: 390, height: 844 });
    await chat.page.getByRole("button", { name: "Open sidebar" }).click();
    await chat.history.waitFor({ timeout: UI_TIMEOUT });
    await expectNoViolations(chat);
  });
});
