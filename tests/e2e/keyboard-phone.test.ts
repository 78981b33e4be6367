/**
 * Keyboard and phone use: the composer takes focus, the skip link, the `?` shortcut list and each
 * shortcut, one Tab stop per sidebar conversation with its actions on the arrow keys, copy without
 * `navigator.clipboard` (plain http on a LAN address), and at 390 px a readable title, 40 px touch
 * targets among the message actions, and the settings as a sheet using the screen's height (issue 24).
 */
import { describe, expect, it } from "vitest";
import { useChatSuite } from "./support/chat-suite";
import { exportWithAnswer, importViaApi, UI_TIMEOUT, type ChatPage } from "./support/chat-page";

const ANSWER = "The answer to copy: forty-two.";

const focusedName = (chat: ChatPage) =>
  chat.page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.getAttribute("aria-label") ?? el?.textContent?.trim() ?? null;
  });

describe("keyboard", () => {
  const { baseUrl, openChat } = useChatSuite();

  it("focuses the composer on load; the skip link jumps to it", async () => {
    const chat = await openChat("/");
    await expect.poll(() => focusedName(chat), { timeout: UI_TIMEOUT }).toBe("Message");
    // The skip link is the page's first Tab stop, and visible once focused.
    const first = await chat.page.evaluate(
      () => document.querySelector<HTMLElement>('a[href], button:not([tabindex="-1"]), input, textarea, [tabindex="0"]')?.textContent?.trim(),
    );
    expect(first).toBe("Skip to message box");
    await chat.page.getByRole("link", { name: "Skip to message box" }).focus();
    expect(await chat.page.getByRole("link", { name: "Skip to message box" }).isVisible()).toBe(true);
    await chat.page.keyboard.press("Enter");
    expect(await focusedName(chat)).toBe("Message");
  });

  it("? lists the shortcuts; Ctrl+K searches, Ctrl+Shift+O starts a new chat, Ctrl+Shift+C copies the last answer, ↑ edits", async () => {
    const id = await importViaApi(baseUrl, exportWithAnswer("Shortcut check", ANSWER));
    const chat = await openChat(`/c/${id}`);
    await chat.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    await chat.answerBody().waitFor({ timeout: UI_TIMEOUT });

    await chat.page.locator("main h1").click(); // focus out of the composer: `?` there is just text
    await chat.page.keyboard.press("Shift+Slash");
    const help = chat.page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor({ timeout: UI_TIMEOUT });
    const text = await help.innerText();
    for (const entry of ["New chat", "Search conversations", "Copy the last answer", "Edit your last message", "Stop the answer"]) expect(text).toContain(entry);
    await chat.page.keyboard.press("Escape");
    await help.waitFor({ state: "hidden", timeout: UI_TIMEOUT });

    await chat.page.keyboard.press("Control+Shift+C");
    await expect.poll(() => chat.page.evaluate(() => navigator.clipboard.readText()), { timeout: UI_TIMEOUT }).toBe(ANSWER);

    await chat.composer.focus();
    await chat.page.keyboard.press("ArrowUp");
    const editor = chat.page.getByRole("textbox", { name: "Edit message" });
    await editor.waitFor({ timeout: UI_TIMEOUT });
    expect(await editor.inputValue()).toBe("Show me.");
    await chat.page.getByRole("button", { name: "Cancel edit" }).click();

    await chat.page.keyboard.press("Control+k");
    await expect.poll(() => focusedName(chat)).toBe("Search conversations");

    await chat.page.keyboard.press("Control+Shift+O");
    await expect.poll(() => new URL(chat.page.url()).pathname, { timeout: UI_TIMEOUT }).toBe("/");
    await expect.poll(() => focusedName(chat), { timeout: UI_TIMEOUT }).toBe("Message");
  });

  it("copies without navigator.clipboard (plain http on a LAN address)", async () => {
    const id = await importViaApi(baseUrl, exportWithAnswer("Copy fallback", ANSWER));
    const chat = await openChat("/");
    await chat.page.addInitScript(() => {
      Object.defineProperty(navigator, "clipboard", { value: undefined, configurable: true });
      document.addEventListener("copy", () => {
        (window as unknown as { __copied: string }).__copied = String(document.getSelection());
      });
    });
    await chat.goto(`/c/${id}`);
    expect(await chat.page.evaluate(() => navigator.clipboard)).toBeUndefined();
    await chat.lastAnswer.getByRole("button", { name: "Copy", exact: true }).click();
    await expect.poll(() => chat.page.evaluate(() => (window as unknown as { __copied?: string }).__copied), { timeout: UI_TIMEOUT }).toBe(ANSWER);
    expect(await chat.lastAnswer.getByText("Copied").isVisible()).toBe(true);
  });

  it("the sidebar has one Tab stop per conversation; arrows reach its actions and neighbours", async () => {
    await importViaApi(baseUrl, exportWithAnswer("Sidebar keys one", ANSWER));
    await importViaApi(baseUrl, exportWithAnswer("Sidebar keys two", ANSWER));
    const chat = await openChat("/");
    const first = chat.history.getByRole("link").first();
    await first.waitFor({ timeout: UI_TIMEOUT });
    const firstTitle = (await first.innerText()).trim();
    const secondTitle = (await chat.history.getByRole("link").nth(1).innerText()).trim();
    await first.focus();
    await chat.page.keyboard.press("Tab");
    expect(await focusedName(chat)).toBe(secondTitle); // not the first row's Rename
    await chat.page.keyboard.press("ArrowUp");
    expect(await focusedName(chat)).toBe(firstTitle);
    await chat.page.keyboard.press("ArrowRight");
    expect(await focusedName(chat)).toBe("Rename");
    await chat.page.keyboard.press("ArrowRight");
    expect(await focusedName(chat)).toMatch(/^(Pin|Unpin)$/);
    await chat.page.keyboard.press("ArrowRight");
    expect(await focusedName(chat)).toBe("Delete");
    await chat.page.keyboard.press("Enter");
    const confirm = chat.page.getByRole("dialog", { name: "Delete conversation?" });
    await confirm.waitFor({ timeout: UI_TIMEOUT });
    await chat.page.keyboard.press("Escape");
    await confirm.waitFor({ state: "hidden", timeout: UI_TIMEOUT });
  });
});

describe("phone (390 × 844)", () => {
  const { baseUrl, openChat } = useChatSuite();
  const phone = { width: 390, height: 844 };

  it("keeps the title readable, puts exports in the ⋯ menu, and message actions are ≥ 40 px", async () => {
    const title = "A fairly long conversation title about ternary weights";
    const id = await importViaApi(baseUrl, exportWithAnswer(title, ANSWER));
    const chat = await openChat(`/c/${id}`, phone);
    await chat.answerBody().waitFor({ timeout: UI_TIMEOUT });
    const titleBox = await chat.title.boundingBox();
    expect(titleBox!.width).toBeGreaterThanOrEqual(140); // about 20 characters at 14 px
    expect(await chat.page.getByRole("button", { name: "Export JSON" }).count()).toBe(0);
    await chat.page.getByRole("button", { name: "More actions" }).click();
    expect(await chat.page.getByRole("menuitem", { name: "Export JSON" }).isVisible()).toBe(true);
    await chat.page.keyboard.press("Escape");

    const buttons = chat.page.locator("article button");
    const sizes = await buttons.evaluateAll((els) =>
      els.filter((el) => (el as HTMLElement).offsetParent !== null).map((el) => {
        const r = el.getBoundingClientRect();
        return { name: el.getAttribute("aria-label") ?? el.textContent, width: r.width, height: r.height };
      }),
    );
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    for (const size of sizes) {
      expect(size.width, `${size.name} width`).toBeGreaterThanOrEqual(40);
      expect(size.height, `${size.name} height`).toBeGreaterThanOrEqual(40);
    }
  });

  it("on a phone the settings open as a sheet that uses the screen's height, down to its bottom edge", async () => {
    const id = await importViaApi(baseUrl, exportWithAnswer("Settings on a phone", ANSWER));
    const chat = await openChat(`/c/${id}`, phone);
    await chat.answerBody().waitFor({ timeout: UI_TIMEOUT });
    const panel = await chat.openSettings();
    // Issue 24 replaced the popover that left half the screen to the chat (it showed 4 rows at a time).
    const sheet = await chat.page.evaluate(() => document.getElementById("settings-panel")!.getBoundingClientRect().toJSON() as DOMRect);
    expect(sheet.bottom).toBeCloseTo(phone.height, 0);
    expect(sheet.height).toBeGreaterThan(phone.height / 2);
    expect(sheet.width).toBeCloseTo(phone.width, 0);
    // The panel scrolls inside itself, and every setting in it is reachable.
    await panel.getByLabel("Seed", { exact: true }).scrollIntoViewIfNeeded();
    expect(await panel.getByLabel("Seed", { exact: true }).isVisible()).toBe(true);
  });
});
