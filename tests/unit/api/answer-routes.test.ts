import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { chatEventSchemas } from "@/lib/schemas/events";
import { readSseStream, type SseFrame } from "@/lib/sse/parse";
import { answerRegistry } from "@/server/chat/answer-registry";
import { createTestEngine } from "@/server/engine/testing/test-engine";
import { getDatabase } from "@/server/db/client";
import { counts, disposeTempDatabase, hostState, jsonRequest, params, useTempDatabase } from "./route-test-support";
import { until } from "@/server/chat/testing/until";

vi.mock("@/server/host/model-host", async () => {
  const { mockHost } = await import("./route-test-support");
  return { getModelHost: () => mockHost };
});
const chatRoute = await import("@/app/api/chat/route");
const listRoute = await import("@/app/api/conversations/route");
const itemRoute = await import("@/app/api/conversations/[id]/route");
const stopRoute = await import("@/app/api/conversations/[id]/stop/route");
const streamRoute = await import("@/app/api/conversations/[id]/stream/route");

beforeEach(useTempDatabase);
afterEach(disposeTempDatabase);

const LONG = "An answer long enough to be stopped, followed and deleted in the middle.";
const get = (url: string) => new Request(`http://localhost${url}`);
const post = (url: string) => new Request(`http://localhost${url}`, { method: "POST" });

function answerRow(): { content: string; status: string; stats: string | null } | undefined {
  return getDatabase().sqlite.prepare("SELECT content, status, stats FROM messages WHERE role = 'assistant'").get() as never;
}

/** Starts an answer on a gated model and reads its stream up to the `n`-th token. */
async function startAnswering(n: number) {
  const model = createTestEngine({ answer: LONG, gated: true });
  hostState.engine = model.engine;
  const client = new AbortController();
  const response = await chatRoute.POST(jsonRequest("/api/chat", { content: "hi" }, { signal: client.signal }));
  const frames = readSseStream(response.body!)[Symbol.asyncIterator]();
  let conversationId = "";
  let tokens = 0;
  while (tokens < n) {
    if (model.gate!.waiting() > 0) model.gate!.step();
    const frame = await Promise.race([frames.next(), new Promise<null>((r) => setTimeout(() => r(null), 5))]);
    if (!frame || frame.done) continue;
    if (frame.value.event === "start") conversationId = JSON.parse(frame.value.data).conversationId;
    if (frame.value.event === "token") tokens += 1;
  }
  return { model, client, frames, conversationId };
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<SseFrame[]> {
  const all: SseFrame[] = [];
  for await (const frame of readSseStream(body)) all.push(frame);
  return all;
}

describe("answer routes", () => {
  it("GET /stream re-attaches: a snapshot with the text so far, then the rest; 204 once nothing runs", async () => {
    const { model, client, conversationId } = await startAnswering(4);
    client.abort(); // the first client went away: the answer goes on
    const response = await streamRoute.GET(get(`/api/conversations/${conversationId}/stream`), params({ id: conversationId }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    model.gate!.open();
    const frames = await readAll(response.body!);
    expect(frames[0].event).toBe("snapshot");
    const snapshot = chatEventSchemas.snapshot.parse(JSON.parse(frames[0].data));
    expect(snapshot).toMatchObject({ conversationId, phase: "generating" });
    expect(snapshot.text.length).toBeGreaterThanOrEqual(4);
    const rest = frames.slice(1).filter((f) => f.event === "token").map((f) => JSON.parse(f.data).text as string).join("");
    expect(snapshot.text + rest).toBe(LONG);
    expect(frames.at(-1)!.event).toBe("done");
    expect(JSON.parse(frames.at(-1)!.data)).toMatchObject({ messageId: snapshot.messageId, status: "complete" });
    expect(answerRow()).toMatchObject({ content: LONG, status: "complete" });
    const idle = await streamRoute.GET(get(`/api/conversations/${conversationId}/stream`), params({ id: conversationId }));
    expect(idle.status).toBe(204);
    expect((await streamRoute.GET(get("/api/conversations/nope/stream"), params({ id: "nope" }))).status).toBe(404);
  });

  it("POST /stop stops the running answer (saved as stopped, 200 with the message); 204 when nothing runs; 404 unknown", async () => {
    const { model, frames, conversationId } = await startAnswering(3);
    const stopping = stopRoute.POST(post(`/api/conversations/${conversationId}/stop`), params({ id: conversationId }));
    model.gate!.open();
    const response = await stopping;
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({ messageId: expect.any(String), status: "stopped" });
    const row = answerRow()!;
    expect(row.status).toBe("stopped");
    expect(JSON.parse(row.stats!).stopReason).toBe("abort");
    expect(LONG.startsWith(row.content) && row.content.length < LONG.length).toBe(true);
    // The client that started it sees the end too.
    let last = "";
    for (let r = await frames.next(); !r.done; r = await frames.next()) last = r.value.event;
    expect(last).toBe("done");
    expect((await stopRoute.POST(post(`/api/conversations/${conversationId}/stop`), params({ id: conversationId }))).status).toBe(204);
    expect((await stopRoute.POST(post("/api/conversations/nope/stop"), params({ id: "nope" }))).status).toBe(404);
  });

  it("a second writer gets 409 `answering` while the conversation answers; the list marks it answering", async () => {
    const { model, conversationId } = await startAnswering(2);
    const before = counts();
    for (const mode of ["send", "regenerate", "edit"]) {
      const response = await chatRoute.POST(jsonRequest("/api/chat", { conversationId, content: "again", mode }));
      expect(response.status).toBe(409);
      expect((await response.json()).error).toMatchObject({ code: "answering", field: "conversationId" });
    }
    expect(counts()).toEqual(before);
    const list = await (await listRoute.GET(get("/api/conversations"))).json();
    expect(list.conversations).toEqual([expect.objectContaining({ id: conversationId, answering: true })]);
    const one = await (await itemRoute.GET(get(`/api/conversations/${conversationId}`), params({ id: conversationId }))).json();
    expect(one.answering).toBe(true);
    model.gate!.open();
    await until(async () => !(await answerRegistry().answering())(conversationId));
    expect(answerRow()?.status).toBe("complete");
    const after = await (await listRoute.GET(get("/api/conversations"))).json();
    expect(after.conversations).toEqual([expect.objectContaining({ id: conversationId, answering: false })]);
  });

  it("DELETE during an answer stops it: the model is free after at most one more step", async () => {
    const { model, frames, conversationId } = await startAnswering(3);
    await until(() => model.gate!.waiting() > 0);
    const callsAtDelete = model.runner.calls.length;
    const response = await itemRoute.DELETE(new Request(`http://localhost/api/conversations/${conversationId}`, { method: "DELETE" }), params({ id: conversationId }));
    expect(response.status).toBe(204);
    model.gate!.open();
    const rest: SseFrame[] = [];
    for (let r = await frames.next(); !r.done; r = await frames.next()) rest.push(r.value);
    expect(model.runner.calls.length).toBeLessThanOrEqual(callsAtDelete + 1);
    expect(model.engine.queueLength()).toBe(0);
    expect(rest.at(-1)).toMatchObject({ event: "error" });
    expect(JSON.parse(rest.at(-1)!.data).code).toBe("not_saved");
    expect(counts()).toEqual({ conversations: 0, messages: 0 });
  });
});
