/**
 * Page object for the chat UI. Selectors go through accessible names and the documented hooks
 * (`article[data-role][data-status]`, `[data-testid=caption]`) so a test breaks when what users
 * (and screen readers) see breaks, not when class names change.
 */
import type { Browser, BrowserContext, CDPSession, Locator, Page } from "playwright-core";
import { expect } from "vitest";
import type { ConversationDto } from "@/lib/schemas/conversations";

/** Generous: the machine is shared, and a `next start` page compiles nothing but may be slow to hydrate. */
export const UI_TIMEOUT = 30_000;

export interface CaptionNumbers {
  tokens: number;
  tokensPerSecond: number;
}

/** `⏱ 4.2 s · 🔢 73 tokens · 🚀 17.4 tok/s` → the numbers; null when the caption has no rate yet. */
export function parseCaption(text: string): CaptionNumbers | null {
  const tokens = /(\d+)\s+tokens?\b/.exec(text);
  const rate = /([\d.]+)\s+tok\/s/.exec(text);
  if (!tokens || !rate) return null;
  return { tokens: Number(tokens[1]), tokensPerSecond: Number(rate[1]) };
}

/** One observation of the newest answer, taken by a MutationObserver inside the page. */
export interface AnswerSample {
  status: string | null;
  length: number;
  caption: string | null;
}

/** ~25 token events a second (each ~50 bytes): a 96-token answer reaches the page over ~4 s, in several deliveries. */
const STREAM_BYTES_PER_SECOND = 1_200;

export class ChatPage {
  private cdp: CDPSession | null = null;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  /** A fresh context per test: its own localStorage (last-used settings), cookies and downloads. */
  static async open(browser: Browser, baseUrl: string, viewport = { width: 1280, height: 800 }): Promise<ChatPage> {
    const context = await browser.newContext({ viewport, acceptDownloads: true, baseURL: baseUrl });
    const page = await context.newPage();
    const chat = new ChatPage(context, page, baseUrl);
    await chat.goto("/");
    return chat;
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  async goto(path: string): Promise<void> {
    await this.page.goto(path);
    await this.waitForHydration();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForHydration();
  }

  /**
   * The server renders the composer hint as "Checking whether the model is ready…"; any other text
   * means React hydrated the page and fetched the model status, so clicks and typing take effect.
   * waitForFunction rather than expect.poll: this also runs from beforeAll hooks.
   */
  private async waitForHydration(): Promise<void> {
    await this.page.waitForFunction(
      () => {
        const hint = document.getElementById("composer-reason")?.textContent ?? "";
        return /\S/.test(hint) && !hint.startsWith("Checking");
      },
      undefined,
      { timeout: UI_TIMEOUT },
    );
  }

  get composer(): Locator {
    return this.page.getByRole("textbox", { name: "Message", exact: true });
  }
  get composerHint(): Locator {
    return this.page.locator("#composer-reason");
  }
  get sendButton(): Locator {
    return this.page.getByRole("button", { name: "Send", exact: true });
  }
  get stopButton(): Locator {
    return this.page.getByRole("button", { name: "Stop", exact: true });
  }
  get modelStatus(): Locator {
    return this.page.getByRole("status", { name: /^Model status:/ });
  }
  get modelDetails(): Locator {
    return this.page.getByRole("region", { name: "Model status details" });
  }
  get userMessages(): Locator {
    return this.page.locator('article[data-role="user"]');
  }
  get answers(): Locator {
    return this.page.locator('article[data-role="assistant"]');
  }
  get lastAnswer(): Locator {
    return this.answers.last();
  }
  get history(): Locator {
    return this.page.getByRole("navigation", { name: "Conversation history" });
  }
  get search(): Locator {
    return this.page.getByRole("searchbox", { name: "Search conversations" });
  }
  /** The conversation's title in the page header (an empty chat has a second h1 in its welcome text). */
  get title(): Locator {
    return this.page.locator("header").getByRole("heading", { level: 1 });
  }

  /** A sidebar entry (`<li aria-label={title}>`). */
  conversationItem(title: string): Locator {
    return this.history.getByRole("listitem", { name: title, exact: true });
  }

  captionOf(answer: Locator): Locator {
    return answer.getByTestId("caption");
  }

  /** The conversation id from the URL, which becomes `/c/<id>` once the server created it. */
  async conversationId(): Promise<string> {
    await expect.poll(() => new URL(this.page.url()).pathname, { timeout: UI_TIMEOUT }).toMatch(/^\/c\/[^/]+$/);
    return decodeURIComponent(new URL(this.page.url()).pathname.slice("/c/".length));
  }

  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await expect.poll(() => this.sendButton.isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
    await this.sendButton.click();
  }

  /** The gear next to the composer that opens the settings popover. */
  get settingsButton(): Locator {
    return this.page.getByRole("button", { name: /^Settings/ });
  }

  async openSettings(): Promise<Locator> {
    if ((await this.settingsButton.getAttribute("aria-expanded")) !== "true") await this.settingsButton.click();
    const panel = this.page.getByRole("dialog", { name: "Settings" });
    await panel.waitFor({ timeout: UI_TIMEOUT });
    return panel;
  }

  /** With the panel's own Close button: on a phone the panel is a sheet over the composer and its gear. */
  async closeSettings(): Promise<void> {
    if ((await this.settingsButton.getAttribute("aria-expanded")) === "true") await this.page.getByRole("button", { name: "Close settings" }).click();
  }

  /** Opens the settings, types a value into one of its numeric fields and closes them again. */
  async setParam(label: string, value: string): Promise<void> {
    const panel = await this.openSettings();
    const field = panel.getByLabel(label, { exact: true });
    await field.fill(value);
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("false");
    await this.closeSettings();
  }

  async waitForAnswerStatus(status: "complete" | "stopped" | "error", answer = this.lastAnswer, timeout = 90_000): Promise<void> {
    await expect.poll(() => answer.getAttribute("data-status"), { timeout }).toBe(status);
  }

  /**
   * Records every DOM change of the newest answer (text length, status, caption) from now on, and
   * throttles this page's downloads so the stream reaches it over seconds. Observing in the page
   * alone was not enough: an idle machine's tiny model writes a 96-token answer in one network
   * chunk, and the Markdown view renders deferred, so "it grew in front of the user" depended on
   * CPU speed. `answerSamples` lifts the throttle. Tests that navigate while recording (the throttle
   * would slow the page load itself) and stream long answers anyway pass `{ paced: false }`.
   */
  async recordAnswer({ paced = true } = {}): Promise<void> {
    if (paced) await this.setDownloadThrottle(STREAM_BYTES_PER_SECOND);
    await this.page.evaluate(() => {
      const w = window as unknown as { __answerSamples: AnswerSample[] };
      w.__answerSamples = [];
      const sample = () => {
        const articles = document.querySelectorAll('article[data-role="assistant"]');
        const last = articles[articles.length - 1];
        if (!last) return;
        // Only the rendered Markdown: the live caption ticks on its own and must not count as growth.
        const body = last.querySelector(".prose");
        w.__answerSamples.push({
          status: last.getAttribute("data-status"),
          length: (body?.textContent ?? "").length,
          caption: last.querySelector('[data-testid="caption"]')?.textContent ?? null,
        });
      };
      new MutationObserver(sample).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  }

  async answerSamples(): Promise<AnswerSample[]> {
    await this.setDownloadThrottle(null);
    return this.page.evaluate(() => (window as unknown as { __answerSamples: AnswerSample[] }).__answerSamples);
  }

  /** Chromium's DevTools network throttling (null lifts it); it paces streamed response bodies too. */
  private async setDownloadThrottle(bytesPerSecond: number | null): Promise<void> {
    if (bytesPerSecond === null && !this.cdp) return;
    this.cdp ??= await this.context.newCDPSession(this.page);
    await this.cdp.send("Network.enable");
    await this.cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: bytesPerSecond ?? -1,
      uploadThroughput: -1,
    });
  }

  /**
   * The answer's rendered Markdown (`.prose`, Tailwind Typography's container) without caption,
   * badge and buttons. No accessible hook marks the answer body yet, hence the class.
   */
  answerBody(answer = this.lastAnswer): Locator {
    return answer.locator(".prose");
  }
}

/** JSON API helpers: the source of truth the UI assertions are checked against. */
export async function fetchConversation(baseUrl: string, id: string): Promise<{ status: number; body: ConversationDto | null }> {
  const response = await fetch(`${baseUrl}/api/conversations/${encodeURIComponent(id)}`);
  return { status: response.status, body: response.ok ? ((await response.json()) as ConversationDto) : null };
}

export async function fetchExport(baseUrl: string, id: string, format: "md" | "json"): Promise<string> {
  const response = await fetch(`${baseUrl}/api/conversations/${encodeURIComponent(id)}/export?format=${format}`);
  expect(response.status).toBe(200);
  return response.text();
}

/** Imports `data` (a conversation export) through the API and returns the new conversation's id. */
export async function importViaApi(baseUrl: string, data: unknown): Promise<string> {
  const response = await fetch(`${baseUrl}/api/conversations/import`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(data),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

/** A minimal conversation export with one question and the given answer. */
export function exportWithAnswer(title: string, answer: string, at: Date = new Date()): object {
  const now = at.toISOString();
  return {
    format: "bitnet-chat/conversation@1",
    title,
    createdAt: now,
    updatedAt: now,
    params: {},
    messages: [
      { role: "user", content: "Show me.", status: "complete", stats: null, createdAt: now },
      { role: "assistant", content: answer, status: "complete", stats: null, createdAt: now },
    ],
  };
}

/**
 * Answers outlive their pages: a test that closes its browser mid-answer would leave the shared
 * server's model busy for the next test. Stops every running or queued answer.
 */
export async function stopRunningAnswers(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/conversations?limit=500`);
  if (!response.ok) return;
  const { conversations } = (await response.json()) as { conversations: { id: string; answering: boolean }[] };
  await Promise.all(
    conversations.filter((c) => c.answering).map((c) => fetch(`${baseUrl}/api/conversations/${encodeURIComponent(c.id)}/stop`, { method: "POST" })),
  );
}
