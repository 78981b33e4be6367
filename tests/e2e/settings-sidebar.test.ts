/**
 * The settings popover (gear next to the composer): presets, saved presets in the database,
 * labelled validation, per-chat settings that reach new chats only through "Use as default"; and the
 * sidebar: renaming does not move a chat to "Today", pinning, month groups, drafts per conversation.
 */
import { describe, expect, it } from "vitest";
import { useChatSuite } from "./support/chat-suite";
import { exportWithAnswer, importViaApi, UI_TIMEOUT } from "./support/chat-page";

const DAY_MS = 86_400_000;

describe("settings popover and presets", () => {
  const { baseUrl, openChat } = useChatSuite();

  it("applies presets, explains bad values by label, saves a preset with its system prompt in the database", async () => {
    const chat = await openChat("/");
    const panel = await chat.openSettings();
    const temperature = panel.getByLabel("Temperature", { exact: true });
    const slider = panel.getByRole("slider", { name: "Temperature slider" });

    await panel.getByRole("button", { name: "Precise", exact: true }).click();
    await expect.poll(() => temperature.inputValue()).toBe("0.2");
    expect(await slider.inputValue()).toBe("0.2");
    expect(await panel.getByRole("button", { name: "Precise", exact: true }).getAttribute("aria-pressed")).toBe("true");

    await temperature.fill("5");
    await expect.poll(() => panel.innerText()).toContain("Temperature must be between 0 and 2");
    expect(await chat.composerHint.innerText()).toContain("Fix the highlighted value");
    await temperature.fill("0.9");
    await expect.poll(() => temperature.getAttribute("aria-invalid")).toBe("false");

    await panel.getByLabel("System prompt", { exact: true }).fill("Talk like a pirate.");
    await panel.getByLabel("Save as preset (with the system prompt)").fill("Pirate");
    await panel.getByRole("button", { name: "Save preset" }).click();
    await panel.getByRole("button", { name: "Pirate", exact: true }).waitFor({ timeout: UI_TIMEOUT });
    const stored = (await (await fetch(`${baseUrl}/api/presets`)).json()) as { presets: { id: string; name: string; params: { systemPrompt: string; temperature: number } }[] };
    const pirate = stored.presets.find((p) => p.name === "Pirate");
    expect(pirate?.params).toMatchObject({ systemPrompt: "Talk like a pirate.", temperature: 0.9 });

    // Another page load: the saved preset comes from the database and applies its system prompt.
    const again = await openChat("/");
    const panel2 = await again.openSettings();
    await panel2.getByRole("button", { name: "Pirate", exact: true }).click();
    await expect.poll(() => panel2.getByLabel("System prompt", { exact: true }).inputValue()).toBe("Talk like a pirate.");
    await panel2.getByRole("button", { name: "Delete preset Pirate" }).click();
    await panel2.getByRole("button", { name: "Pirate", exact: true }).waitFor({ state: "detached", timeout: UI_TIMEOUT });
    const after = (await (await fetch(`${baseUrl}/api/presets`)).json()) as { presets: { name: string }[] };
    expect(after.presets.map((p) => p.name)).not.toContain("Pirate");

    // Esc closes the popover and gives focus back to the gear.
    await panel2.getByLabel("Seed", { exact: true }).focus();
    await again.page.keyboard.press("Escape");
    await panel2.waitFor({ state: "hidden", timeout: UI_TIMEOUT });
    expect(await again.settingsButton.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it("a conversation's settings reach new chats only through Use as default", async () => {
    const id = await importViaApi(baseUrl, exportWithAnswer("Settings scope", "ok"));
    const chat = await openChat(`/c/${id}`);
    await chat.answerBody().waitFor({ timeout: UI_TIMEOUT });
    await chat.setParam("Temperature", "1.3");
    await expect
      .poll(async () => ((await (await fetch(`${baseUrl}/api/conversations/${id}`)).json()) as { params: { temperature: number } }).params.temperature, { timeout: UI_TIMEOUT })
      .toBe(1.3);

    // The speculative-decoding switch is a setting of the chat like the numbers.
    let panel = await chat.openSettings();
    const speculative = panel.getByRole("checkbox", { name: "Speculative decoding" });
    const wasOn = await speculative.isChecked();
    await speculative.click();
    await expect
      .poll(async () => ((await (await fetch(`${baseUrl}/api/conversations/${id}`)).json()) as { params: { speculative?: boolean } }).params.speculative, { timeout: UI_TIMEOUT })
      .toBe(!wasOn);
    await chat.reload();
    panel = await chat.openSettings();
    await expect.poll(() => panel.getByRole("checkbox", { name: "Speculative decoding" }).isChecked(), { timeout: UI_TIMEOUT }).toBe(!wasOn);
    // "Reset to defaults" resets the switch too (and the temperature, set again below).
    await panel.getByRole("button", { name: "Reset to defaults" }).click();
    await expect
      .poll(async () => ((await (await fetch(`${baseUrl}/api/conversations/${id}`)).json()) as { params: { speculative?: boolean; temperature: number } }).params, { timeout: UI_TIMEOUT })
      .toMatchObject({ speculative: wasOn, temperature: 0.7 });
    await chat.closeSettings();
    await chat.setParam("Temperature", "1.3");
    await expect
      .poll(async () => ((await (await fetch(`${baseUrl}/api/conversations/${id}`)).json()) as { params: { temperature: number } }).params.temperature, { timeout: UI_TIMEOUT })
      .toBe(1.3);

    await chat.goto("/");
    panel = await chat.openSettings();
    expect(await panel.getByLabel("Temperature", { exact: true }).inputValue()).toBe("0.7");

    await chat.goto(`/c/${id}`);
    panel = await chat.openSettings();
    await expect.poll(() => panel.getByLabel("Temperature", { exact: true }).inputValue(), { timeout: UI_TIMEOUT }).toBe("1.3");
    await panel.getByRole("button", { name: "Use as default" }).click();
    await expect.poll(() => panel.innerText()).toContain("New chats will start with these settings.");
    await chat.goto("/");
    panel = await chat.openSettings();
    await expect.poll(() => panel.getByLabel("Temperature", { exact: true }).inputValue(), { timeout: UI_TIMEOUT }).toBe("1.3");
  });
});

describe("sidebar", () => {
  const { baseUrl, openChat } = useChatSuite();

  it("renaming keeps a chat in its month, pinning lists it first, month groups past 30 days", async () => {
    const old = new Date(Date.now() - 45 * DAY_MS);
    const month = old.toLocaleString("en-US", { month: "long" });
    const expectedGroup = old.getFullYear() === new Date().getFullYear() ? month : `${month} ${old.getFullYear()}`;
    const id = await importViaApi(baseUrl, exportWithAnswer("An old chat", "ok", old));
    const chat = await openChat("/");
    const group = chat.history.getByRole("region", { name: expectedGroup });
    await group.getByRole("listitem", { name: "An old chat" }).waitFor({ timeout: UI_TIMEOUT });

    const patch = await fetch(`${baseUrl}/api/conversations/${id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ title: "An old chat, renamed", params: { temperature: 0.5 } }),
    });
    expect(patch.status).toBe(200);
    await chat.reload();
    await group.getByRole("listitem", { name: "An old chat, renamed" }).waitFor({ timeout: UI_TIMEOUT });

    const item = chat.conversationItem("An old chat, renamed");
    await item.hover();
    await item.getByRole("button", { name: "Pin" }).click();
    await chat.history.getByRole("region", { name: "Pinned" }).getByRole("listitem", { name: "An old chat, renamed" }).waitFor({ timeout: UI_TIMEOUT });
    expect(await chat.history.getByRole("region").first().getAttribute("aria-label")).toBe("Pinned");
    await chat.conversationItem("An old chat, renamed").hover();
    await chat.conversationItem("An old chat, renamed").getByRole("button", { name: "Unpin" }).click();
    await group.getByRole("listitem", { name: "An old chat, renamed" }).waitFor({ timeout: UI_TIMEOUT });
  });

  it("keeps an unsent draft per conversation across switching and reload", async () => {
    const a = await importViaApi(baseUrl, exportWithAnswer("Draft A", "ok"));
    const b = await importViaApi(baseUrl, exportWithAnswer("Draft B", "ok"));
    const chat = await openChat(`/c/${a}`);
    await chat.composer.fill("half-written thought for A");
    await chat.conversationItem("Draft B").getByRole("link").click();
    await expect.poll(() => new URL(chat.page.url()).pathname, { timeout: UI_TIMEOUT }).toBe(`/c/${b}`);
    await expect.poll(() => chat.composer.inputValue(), { timeout: UI_TIMEOUT }).toBe("");
    await chat.conversationItem("Draft A").getByRole("link").click();
    await expect.poll(() => chat.composer.inputValue(), { timeout: UI_TIMEOUT }).toBe("half-written thought for A");
    await chat.reload();
    await expect.poll(() => chat.composer.inputValue(), { timeout: UI_TIMEOUT }).toBe("half-written thought for A");
  });
});
