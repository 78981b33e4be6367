/**
 * One browser per test file, one fresh ChatPage (browser context) per call, all closed after each
 * test, with any answer a test left running stopped: the hooks every chat suite needs, registered
 * once here instead of in each file.
 */
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, inject } from "vitest";
import { launchBrowser } from "./browser";
import { ChatPage, stopRunningAnswers } from "./chat-page";

export interface ChatSuite {
  baseUrl: string;
  /** A new ChatPage at `pathname` (default "/"), closed automatically after the test. */
  openChat(pathname?: string, viewport?: { width: number; height: number }): Promise<ChatPage>;
}

/** Call inside a `describe`. */
export function useChatSuite(): ChatSuite {
  const baseUrl = inject("baseUrl");
  let browser: Browser | undefined;
  const open: ChatPage[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((chat) => chat.close()));
    await stopRunningAnswers(baseUrl);
  });
  afterAll(async () => {
    await browser?.close();
  });

  return {
    baseUrl,
    async openChat(pathname = "/", viewport) {
      if (!browser) throw new Error("useChatSuite: the browser is not launched yet (call openChat inside a test)");
      const chat = await ChatPage.open(browser, baseUrl, viewport);
      open.push(chat);
      if (pathname !== "/") await chat.goto(pathname);
      return chat;
    },
  };
}
