/**
 * The app's keyboard shortcuts: one table read by the key handler and by the `?` help dialog, so the
 * dialog cannot drift from what the keys do. Ctrl on Windows/Linux, ⌘ on macOS.
 */
export type ShortcutAction = "new-chat" | "search" | "copy-last-answer" | "help";

export interface ShortcutDescription {
  keys: string[];
  description: string;
}

export const SHORTCUTS: ShortcutDescription[] = [
  { keys: ["Ctrl", "Shift", "O"], description: "New chat" },
  { keys: ["Ctrl", "K"], description: "Search conversations" },
  { keys: ["Ctrl", "Shift", "C"], description: "Copy the last answer" },
  { keys: ["↑"], description: "Edit your last message (in an empty message box)" },
  { keys: ["Esc"], description: "Stop the answer being written" },
  { keys: ["Enter"], description: "Send" },
  { keys: ["Shift", "Enter"], description: "New line in the message" },
  { keys: ["?"], description: "Show this list" },
];

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** `typing`: focus is in a text field, where a plain `?` is text, not a shortcut. */
export function shortcutFor(event: KeyLike, typing: boolean): ShortcutAction | null {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (mod && !event.altKey && event.shiftKey && key === "o") return "new-chat";
  if (mod && !event.altKey && !event.shiftKey && key === "k") return "search";
  if (mod && !event.altKey && event.shiftKey && key === "c") return "copy-last-answer";
  if (!mod && !event.altKey && event.key === "?" && !typing) return "help";
  return null;
}

/** The message box's id (components/composer.tsx). */
export const MESSAGE_BOX_ID = "composer";

/**
 * Focus is in a field holding text the user is writing. The empty message box is not: focus rests there
 * after every answer, and `?` must still open the shortcut list from it (a question mark is no message).
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== "string") return false;
  const el = target as HTMLElement;
  if (el.id === MESSAGE_BOX_ID && (el as HTMLTextAreaElement).value === "") return false;
  return el.isContentEditable || el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && !["checkbox", "radio", "button", "submit", "range"].includes((el as HTMLInputElement).type));
}
