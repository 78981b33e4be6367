/**
 * Issue 10 finding 6 over HTTP on the production server: one conversation has at most one answer being
 * written. Another client's regenerate/edit/send gets 409 and the running answer is stored under the id its
 * `done` names; deleting the conversation stops its answer instead of letting it run to its token limit.
 * (The UI side — the page follows the running answer and offers Stop — is in answers-outlive-page.test.ts.)
 */
import { describe, expect, inject, it } from "vitest";
import { readSseStream, type SseFrame } from "@/lib/sse/parse";
import { fetchConversation } from "./support/chat-page";

const LIMIT = 2048;

describe("one active answer per conversation (production server)", () => {
  const baseUrl = inject("baseUrl");
  const chat = (body: object) => fetch(`${baseUrl}/api/chat`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  /** Starts a long answer and reads it until `tokens` tokens have streamed; the rest is read by the caller. */
  async function answering(body: object, tokens: number) {
    const response = await chat({ ...body, params: { maxNewTokens: LIMIT, seed: 11 } });
    expect(response.status).toBe(200);
    const frames = readSseStream(response.body!)[Symbol.asyncIterator]();
    let conversationId = "";
    let seen = 0;
    while (seen < tokens) {
      const next = await frames.next();
      if (next.done || next.value.event === "done" || next.value.event === "error") throw new Error("the answer ended before the test could act");
      if (next.value.event === "start") conversationId = (JSON.parse(next.value.data) as { conversationId: string }).conversationId;
      if (next.value.event === "token") seen++;
    }
    const rest = async (): Promise<{ frames: SseFrame[]; tokens: number }> => {
      const out: SseFrame[] = [];
      for (let next = await frames.next(); !next.done; next = await frames.next()) out.push(next.value);
      return { frames: out, tokens: seen + out.filter((f) => f.event === "token").length };
    };
    return { conversationId, rest };
  }

  it("regenerate, edit or send from another client while an answer streams: 409, and the answer is stored as its done says", async () => {
    const first = await chat({ content: "Say hi.", params: { maxNewTokens: 4 } });
    let conversationId = "";
    for await (const frame of readSseStream(first.body!)) {
      if (frame.event === "start") conversationId = (JSON.parse(frame.data) as { conversationId: string }).conversationId;
    }
    const a = await answering({ conversationId, content: "Now write a very long letter." }, 3);
    expect(a.conversationId).toBe(conversationId);

    for (const body of [
      { conversationId, mode: "regenerate" },
      { conversationId, mode: "edit", content: "Something else." },
      { conversationId, content: "And me?" },
    ]) {
      const response = await chat(body);
      expect(response.status, JSON.stringify(body)).toBe(409);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("answering");
    }

    const { frames } = await a.rest();
    const done = frames.at(-1)!;
    expect(done.event).toBe("done");
    const { messageId, status } = JSON.parse(done.data) as { messageId: string; status: string };
    expect(status).toBe("complete");
    const saved = (await fetchConversation(baseUrl, conversationId)).body!;
    expect(saved.messages.map((m) => [m.role, m.content.length > 0])).toEqual([
      ["user", true],
      ["assistant", true],
      ["user", true],
      ["assistant", true],
    ]);
    expect(saved.messages[2]!.content).toBe("Now write a very long letter.");
    expect(saved.messages[3]).toMatchObject({ id: messageId, status: "complete" });
  });

  it("deleting a conversation while it answers stops the answer: its stream ends unsaved long before the token limit", async () => {
    const a = await answering({ content: "Write a very long story about the sea." }, 3);
    const deleted = await fetch(`${baseUrl}/api/conversations/${a.conversationId}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    const { frames, tokens } = await a.rest();
    expect(frames.some((f) => f.event === "done")).toBe(false);
    expect(frames.at(-1)?.event).toBe("error");
    expect((JSON.parse(frames.at(-1)!.data) as { code: string }).code).toBe("not_saved");
    expect(tokens).toBeLessThan(LIMIT);
    expect((await fetchConversation(baseUrl, a.conversationId)).status).toBe(404);
    // Nothing holds the model any more: the next answer runs to its end.
    const next = await chat({ content: "Say hi.", params: { maxNewTokens: 4 } });
    const events: string[] = [];
    for await (const frame of readSseStream(next.body!)) events.push(frame.event);
    expect(events.at(-1)).toBe("done");
  });
});
