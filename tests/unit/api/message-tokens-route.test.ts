/** GET /api/conversations/{id}/messages/{messageId}/tokens: the route over the real chat layer and a temp database. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readSseStream } from "@/lib/sse/parse";
import { createTestEngine } from "@/server/engine/testing/test-engine";
import { disposeTempDatabase, hostState, jsonRequest, params, useTempDatabase } from "./route-test-support";

vi.mock("@/server/host/model-host", async () => {
  const { mockHost } = await import("./route-test-support");
  return { getModelHost: () => mockHost };
});
const chatRoute = await import("@/app/api/chat/route");
const tokensRoute = await import("@/app/api/conversations/[id]/messages/[messageId]/tokens/route");

beforeEach(useTempDatabase);
afterEach(disposeTempDatabase);

const get = (id: string, messageId: string) => tokensRoute.GET(new Request(`http://localhost/api/conversations/${id}/messages/${messageId}/tokens`), params({ id, messageId }));

async function answer(text: string): Promise<{ id: string; userMessageId: string; messageId: string }> {
  hostState.engine = createTestEngine({ answer: text }).engine;
  const response = await chatRoute.POST(jsonRequest("/api/chat", { content: "Say it", params: { temperature: 0 } }));
  let start: { conversationId: string; userMessageId: string } | null = null;
  let messageId = "";
  for await (const frame of readSseStream(response.body!)) {
    if (frame.event === "start") start = JSON.parse(frame.data);
    if (frame.event === "done") messageId = JSON.parse(frame.data).messageId;
  }
  return { id: start!.conversationId, userMessageId: start!.userMessageId, messageId };
}

describe("GET /api/conversations/{id}/messages/{messageId}/tokens", () => {
  it("returns the answer's records: one per token, texts making the answer, five alternatives each", async () => {
    const { id, messageId } = await answer("Hi!");
    const response = await get(id, messageId);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.messageId).toBe(messageId);
    expect(body.tokens.map((t: { text: string }) => t.text).join("")).toBe("Hi!");
    for (const token of body.tokens) expect(token).toMatchObject({ id: expect.any(Number), logprob: expect.any(Number), rawLogprob: expect.any(Number), top: expect.any(Array) });
    expect(body.tokens[0].top).toHaveLength(5);
  });

  it("404 for a message of another conversation or without records, 400 naming a malformed id", async () => {
    const { id, userMessageId, messageId } = await answer("Hi!");
    const other = await answer("Yo");
    expect((await get(other.id, messageId)).status).toBe(404);
    const none = await get(id, userMessageId); // a question has no records
    expect(none.status).toBe(404);
    expect((await none.json()).error).toMatchObject({ code: "not_found", field: "messageId" });
    const bad = await get(id, "x".repeat(65));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe("messageId");
  });
});
