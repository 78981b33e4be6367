/** A compare pair on the real engine with the tiny ONNX model, which decodes several answers per forward pass (BITNET_PARALLEL). */
import { describe, expect, it } from "vitest";
import { chatRequestSchema } from "@/lib/schemas/chat";
import type { ChatEvent } from "@/lib/schemas/events";
import * as messagesRepo from "@/server/db/messages-repo";
import { AnswerRegistry } from "./answer-registry";
import { sendMessage } from "./send-message";
import { startCompare } from "./start-compare";
import { tinyModelSuite } from "./testing/tiny-model";
import { collectEvents, textOf } from "./testing/collect";

const tiny = tinyModelSuite();

describe("compare with the tiny ONNX model", () => {
  it("runs both answers at once (no waiting in line, tokens interleaved), each the answer a single request with its settings gives", async () => {
    const base = { maxNewTokens: 24, topK: 100, topP: 0.95, seed: 11 };
    const variants = [{ temperature: 0 }, { temperature: 0.8, systemPrompt: "Rhyme." }];
    const pair = await startCompare({
      db: tiny.t.store,
      engine: tiny.engine,
      registry: new AnswerRegistry(),
      request: chatRequestSchema.parse({ mode: "compare", content: "Say something", params: base, variants }),
    });
    const events = await collectEvents(pair.events);
    const side = (e: ChatEvent) => (e.data as { answer?: number }).answer;
    expect(events.some((e) => e.event === "queued")).toBe(false);
    const order = events.filter((e) => e.event === "token").map(side);
    // Both advance in the same stretch: the right answer's first token comes before the left answer's last.
    expect(order.indexOf(1)).toBeLessThan(order.lastIndexOf(0));

    const texts = [0, 1].map((i) => textOf(events.filter((e) => side(e) === i)));
    const rows = messagesRepo.listMessages(tiny.t.db, { conversationId: pair.conversationId });
    expect(rows.slice(1).map((m) => m.content)).toEqual(texts);
    for (const [i, variant] of variants.entries()) {
      const alone = await sendMessage({
        db: tiny.t.store,
        engine: tiny.engine,
        request: chatRequestSchema.parse({ content: "Say something", params: { ...base, ...variant } }),
        signal: new AbortController().signal,
      });
      expect(textOf(await collectEvents(alone.events))).toBe(texts[i]);
    }
  });
});
