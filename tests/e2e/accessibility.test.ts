/**
 * "Keyboard reachable, every control with an accessible name": axe-core's WCAG A/AA rules on the
 * main screens (empty chat, an answered conversation with the settings open, the error state is
 * covered by its own server in model-error.test.ts), in the light and the dark theme, and at phone
 * width with the sidebar drawer open.
 */
import { describe, expect, it } from "vitest";
import { axeViolations, describeViolations, type AxeViolation } from "./support/axe";
import { useChatSuite } from "./support/chat-suite";
import { ChatPage, UI_TIMEOUT } from "./support/chat-page";

/**
 * Reported to the UI owner, not yet fixed: the greyed range hints ("0–2") next to the settings'
 * labels are text-zinc-400 on white (2.5:1, needs 4.5:1). Only those nodes are excused — any other
 * contrast failure still fails. Remove this entry once the hint colour is darker.
 */
const KNOWN: { rule: string; target: RegExp }[] = [{ rule: "color-contrast", target: /\.items-baseline\.justify-between\.text-xs > \.text-zinc-400$/ }];

function withoutKnown(violations: AxeViolation[]): AxeViolation[] {
  return violations
    .map((v) => ({ ...v, targets: v.targets.filter((t) => !KNOWN.some((k) => k.rule === v.id && k.target.test(t))) }))
    .filter((v) => v.targets.length > 0);
}

describe("accessibility (axe-core, WCAG 2.1 A/AA)", () => {
  const { baseUrl, openChat } = useChatSuite();
  let conversationPath = "";

  async function expectNoViolations(chat: ChatPage, skipRules: string[] = []): Promise<void> {
    const violations = withoutKnown(await axeViolations(chat.page, skipRules));
    expect(violations, describeViolations(violations)).toEqual([]);
  }

  it("the empty chat with its example prompts", async () => {
    await expectNoViolations(await openChat());
  });

  it("an answered conversation with the advanced settings open, in both themes", async () => {
    const chat = await openChat();
    await chat.setParam("Max new tokens", "24");
    await chat.send("Write one sentence about accessibility.");
    await chat.waitForAnswerStatus("complete");
    conversationPath = `/c/${await chat.conversationId()}`;
    await expectNoViolations(chat);

    const isDark = () => chat.page.evaluate(() => document.documentElement.classList.contains("dark"));
    const wasDark = await isDark();
    await chat.page.getByRole("button", { name: "Toggle theme" }).click();
    await expect.poll(isDark).toBe(!wasDark);
    // Names, roles and ARIA only: the dark palette's grey-on-black secondary text is below 4.5:1 in
    // several places (reported to the UI owner); enable color-contrast here once that is fixed.
    await expectNoViolations(chat, ["color-contrast"]);
  });

  it("Tab reaches the controls in order, each visible and named, up to the composer", async () => {
    const chat = await openChat(conversationPath || "/");
    // Tab through the page and collect what receives focus: each must be a named, visible control.
    const seen: string[] = [];
    // Bounded: the sidebar may list many conversations (3 stops each) when the whole suite ran.
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
