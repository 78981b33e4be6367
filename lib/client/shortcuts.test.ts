import { describe, expect, it } from "vitest";
import { isTypingTarget, shortcutFor } from "./shortcuts";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe("shortcutFor", () => {
  it("maps Ctrl (or ⌘) combinations to their actions, with or without Shift as documented", () => {
    expect(shortcutFor(key("O", { ctrlKey: true, shiftKey: true }), true)).toBe("new-chat");
    expect(shortcutFor(key("o", { metaKey: true, shiftKey: true }), false)).toBe("new-chat");
    expect(shortcutFor(key("k", { ctrlKey: true }), true)).toBe("search");
    expect(shortcutFor(key("C", { ctrlKey: true, shiftKey: true }), true)).toBe("copy-last-answer");
    expect(shortcutFor(key("k", { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(shortcutFor(key("c", { ctrlKey: true }), false)).toBeNull(); // plain copy stays the browser's
    expect(shortcutFor(key("o", { ctrlKey: true, shiftKey: true, altKey: true }), false)).toBeNull();
  });

  it("opens help on ? only when the user is not typing", () => {
    expect(shortcutFor(key("?", { shiftKey: true }), false)).toBe("help");
    expect(shortcutFor(key("?", { shiftKey: true }), true)).toBeNull();
  });

  it("the empty message box is not typing: ? there opens the list; with text in it, ? is text", () => {
    const field = (id: string, value: string) => ({ tagName: "TEXTAREA", id, value, isContentEditable: false }) as unknown as EventTarget;
    expect(isTypingTarget(field("composer", ""))).toBe(false);
    expect(shortcutFor(key("?", { shiftKey: true }), isTypingTarget(field("composer", "")))).toBe("help");
    expect(isTypingTarget(field("composer", "Why"))).toBe(true);
    expect(isTypingTarget(field("rename", ""))).toBe(true);
  });
});
