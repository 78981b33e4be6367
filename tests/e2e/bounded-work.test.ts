/**
 * Issue 10 findings 2, 3 and 5 on the production server: every request is bounded before work starts.
 * The texts are prose-like words that do not repeat: the tokenizer caches repeated words, so "word word …"
 * took the unfixed server only ~1.2 s for 900,000 characters, too close to the 1 s bound to prove anything.
 * With these texts the unfixed server needs several seconds (900 k characters: ~3 s of blocked event loop;
 * 1,500 messages: ~13 s on an idle machine), the fixed one ~20 ms and ~100 ms.
 */
import { describe, expect, inject, it } from "vitest";
import { readSseStream } from "@/lib/sse/parse";
import { slowestHealth } from "./support/event-loop";
import { rawRequest } from "./support/raw-http";

/** `chars` characters of words that do not repeat (a tokenizer's word cache cannot help), deterministic. */
function prose(chars: number, seed: number): string {
  const words: string[] = [];
  let length = 0;
  for (let x = seed; length < chars; ) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const word = x.toString(36).slice(0, 3 + (x % 6));
    words.push(word);
    length += word.length + 1;
  }
  return words.join(" ").slice(0, chars);
}

describe("bounded work per request (production server)", () => {
  const baseUrl = inject("baseUrl");
  let model = "";
  const v1 = (body: string, type = "application/json") =>
    fetch(`${baseUrl}/v1/chat/completions`, { method: "POST", headers: { "Content-Type": type }, body });

  it("refuses a 1 MB /v1 message fast while /api/health keeps answering", async () => {
    model = ((await (await fetch(`${baseUrl}/v1/models`)).json()) as { data: { id: string }[] }).data[0]!.id;
    await (await fetch(`${baseUrl}/api/health`)).arrayBuffer(); // the first call loads the route's module
    // The bound is 200 ms (what an idle machine shows); on a machine shared by many jobs a plain
    // health call can take longer by itself, so the bound is 1 s or 3× the slowest of the same calls with
    // nothing else going on — still far below the seconds the unfixed server's event loop stood still.
    const baseline = await slowestHealth(baseUrl, new Promise((r) => setTimeout(r, 600)));
    const healthBound = Math.max(1_000, 3 * baseline);
    for (const chars of [1_000_000, 900_000]) {
      const body = JSON.stringify({ model, messages: [{ role: "user", content: prose(chars, 1) }] });
      const started = performance.now();
      const answer = v1(body);
      const slowest = await slowestHealth(baseUrl, answer);
      const response = await answer;
      const elapsed = performance.now() - started;
      expect(response.status, `${chars} characters`).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      const error = ((await response.json()) as { error: { code: string } }).error;
      expect(error.code).toBe(chars === 1_000_000 ? "payload_too_large" : "context_length_exceeded");
      expect(elapsed, `${chars} characters answered in ${elapsed.toFixed(0)} ms`).toBeLessThan(1_000);
      expect(slowest, `/api/health took ${slowest.toFixed(0)} ms (idle: ${baseline.toFixed(0)} ms)`).toBeLessThan(healthBound);
    }
  });

  it("answers 413 to a 100 MB /v1 body and 415 to text/plain", async () => {
    const huge = Buffer.alloc(100 * 1024 * 1024, 0x61);
    huge.write('{"model":"x","messages":[{"role":"user","content":"', 0);
    const response = await rawRequest(baseUrl, {
      method: "POST",
      path: "/v1/chat/completions",
      headers: { "Content-Type": "application/json", "Content-Length": String(huge.length) },
      body: huge,
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).error.code).toBe("payload_too_large");

    const plain = await v1(JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }), "text/plain");
    expect(plain.status).toBe(415);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
  });

  it("starts the next turn of a 1,500-message conversation within 2 s", async () => {
    const now = new Date().toISOString();
    const messages = Array.from({ length: 1_500 }, (_, i) => ({
      role: i % 2 === 0 ? "user" : "assistant",
      content: `${i}: ${prose(2_000, i + 7)}`,
      createdAt: now,
    }));
    const imported = await fetch(`${baseUrl}/api/conversations/import`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ format: "bitnet-chat/conversation@1", title: "Long history", createdAt: now, updatedAt: now, params: {}, messages }),
    });
    expect(imported.status).toBe(201);
    const { conversation } = (await imported.json()) as { conversation: { id: string } };

    const started = performance.now();
    const response = await fetch(`${baseUrl}/api/chat`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ conversationId: conversation.id, content: "And now?", params: { maxNewTokens: 2 } }),
    });
    expect(response.status).toBe(200);
    let startedAfter = Number.NaN;
    let dropped = 0;
    for await (const event of readSseStream(response.body!)) {
      if (event.event === "start") {
        startedAfter = performance.now() - started;
        dropped = (JSON.parse(event.data) as { droppedTurns?: number }).droppedTurns ?? -1;
      }
    }
    expect(startedAfter, `start after ${startedAfter.toFixed(0)} ms`).toBeLessThan(2_000);
    expect(dropped).toBeGreaterThan(1_400);
  });
});
