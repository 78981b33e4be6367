import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { conversationExportSchema } from "@/lib/schemas/conversations";
import { readSseStream } from "@/lib/sse/parse";
import { createTestEngine } from "@/server/engine/testing/test-engine";
import { counts, disposeTempDatabase, hostState, jsonRequest, params, useTempDatabase } from "./route-test-support";

vi.mock("@/server/host/model-host", async () => {
  const { mockHost } = await import("./route-test-support");
  return { getModelHost: () => mockHost };
});
const chatRoute = await import("@/app/api/chat/route");
const listRoute = await import("@/app/api/conversations/route");
const itemRoute = await import("@/app/api/conversations/[id]/route");
const exportRoute = await import("@/app/api/conversations/[id]/export/route");
const importRoute = await import("@/app/api/conversations/import/route");

beforeEach(useTempDatabase);
afterEach(disposeTempDatabase);

async function chat(content: string, answer: string): Promise<string> {
  hostState.engine = createTestEngine({ answer }).engine;
  const response = await chatRoute.POST(jsonRequest("/api/chat", { content }));
  let id = "";
  for await (const frame of readSseStream(response.body!)) if (frame.event === "start") id = JSON.parse(frame.data).conversationId;
  return id;
}

const get = (url: string) => new Request(`http://localhost${url}`);
const patch = (url: string, body: unknown) => jsonRequest(url, body, { method: "PATCH" });

describe("/api/conversations", () => {
  it("lists newest first and searches with ?q=", async () => {
    const a = await chat("about the moon", "The moon orbits Earth.");
    const b = await chat("about the sun", "The sun is a star.");
    const list = await (await listRoute.GET(get("/api/conversations"))).json();
    expect(list.conversations.map((c: { id: string }) => c.id)).toEqual([b, a]);
    expect(list.conversations[0]).toEqual({ id: b, title: "about the sun", createdAt: expect.any(String), updatedAt: expect.any(String), pinned: false, messageCount: 2, answering: false });
    const found = await (await listRoute.GET(get("/api/conversations?q=orbits"))).json();
    expect(found.conversations).toEqual([expect.objectContaining({ id: a, snippet: expect.stringContaining("«orbits»") })]);
    const bad = await listRoute.GET(get(`/api/conversations?limit=0`));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe("limit");
  });

  it("creates one (201) and validates the body", async () => {
    const created = await listRoute.POST(jsonRequest("/api/conversations", { title: "Planning", params: { temperature: 0.1 } }));
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body).toMatchObject({ title: "Planning", messages: [], params: { temperature: 0.1, topK: 40 } });
    const bad = await listRoute.POST(jsonRequest("/api/conversations", { params: { topK: 0 } }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe("params.topK");
    expect(counts().conversations).toBe(1);
  });
});

describe("/api/conversations/[id]", () => {
  it("gets, renames, updates settings and deletes", async () => {
    const id = await chat("hello there", "General Kenobi");
    const got = await (await itemRoute.GET(get(`/api/conversations/${id}`), params({ id }))).json();
    expect(got.messages.map((m: { content: string }) => m.content)).toEqual(["hello there", "General Kenobi"]);
    expect(got.messages[1]).toMatchObject({ role: "assistant", status: "complete", stats: { stopReason: "eos" } });

    const renamed = await itemRoute.PATCH(patch(`/api/conversations/${id}`, { title: "  Star Wars  " }), params({ id }));
    expect(renamed.status).toBe(200);
    expect((await renamed.json()).title).toBe("Star Wars");
    const tuned = await (await itemRoute.PATCH(patch(`/api/conversations/${id}`, { params: { maxNewTokens: 5 } }), params({ id }))).json();
    expect(tuned.params.maxNewTokens).toBe(5);

    for (const body of [{}, { title: "" }, { title: "x".repeat(201) }, { params: { temperature: -1 } }]) {
      const response = await itemRoute.PATCH(patch(`/api/conversations/${id}`, body), params({ id }));
      expect(response.status).toBe(400);
    }
    expect((await (await itemRoute.GET(get(`/api/conversations/${id}`), params({ id }))).json()).title).toBe("Star Wars");

    const deleted = await itemRoute.DELETE(get(`/api/conversations/${id}`), params({ id }));
    expect(deleted.status).toBe(204);
    expect(counts()).toEqual({ conversations: 0, messages: 0 });
  });

  it("answers 404 JSON for unknown ids", async () => {
    for (const response of [
      await itemRoute.GET(get("/api/conversations/nope"), params({ id: "nope" })),
      await itemRoute.PATCH(patch("/api/conversations/nope", { title: "x" }), params({ id: "nope" })),
      await itemRoute.DELETE(get("/api/conversations/nope"), params({ id: "nope" })),
      await exportRoute.GET(get("/api/conversations/nope/export?format=md"), params({ id: "nope" })),
      await itemRoute.GET(get("/api/conversations/x"), params({ id: "x".repeat(500) })),
    ]) {
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe("not_found");
    }
  });
});

describe("export and import", () => {
  it("exports Markdown and JSON as attachments, and imports the JSON back", async () => {
    const id = await chat("Question: why is the sky blue?", "Rayleigh scattering.");
    const md = await exportRoute.GET(get(`/api/conversations/${id}/export?format=md`), params({ id }));
    expect(md.headers.get("content-type")).toMatch(/^text\/markdown/);
    expect(md.headers.get("content-disposition")).toBe('attachment; filename="question-why-is-the-sky-blue.md"');
    const text = await md.text();
    expect(text).toContain("Question: why is the sky blue?");
    expect(text).toContain("Rayleigh scattering.");

    const json = await exportRoute.GET(get(`/api/conversations/${id}/export?format=json`), params({ id }));
    expect(json.headers.get("content-disposition")).toMatch(/^attachment; filename="[a-z0-9-]+\.json"$/);
    const exported = conversationExportSchema.parse(await json.json());

    const badFormat = await exportRoute.GET(get(`/api/conversations/${id}/export?format=pdf`), params({ id }));
    expect(badFormat.status).toBe(400);
    expect((await badFormat.json()).error.field).toBe("format");

    const imported = await importRoute.POST(jsonRequest("/api/conversations/import", exported));
    expect(imported.status).toBe(201);
    const { conversation } = await imported.json();
    expect(conversation.id).not.toBe(id);
    expect(conversation.messages.map((m: { content: string }) => m.content)).toEqual(["Question: why is the sky blue?", "Rayleigh scattering."]);
    expect(counts()).toEqual({ conversations: 2, messages: 4 });
  });

  it("rejects an invalid import, naming the field, writing nothing", async () => {
    const response = await importRoute.POST(
      jsonRequest("/api/conversations/import", {
        format: "bitnet-chat/conversation@1",
        title: "x",
        createdAt: "2026-01-01",
        updatedAt: "2026-01-01",
        params: {},
        messages: [{ role: "robot", content: "hi", createdAt: "2026-01-01" }],
      }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.field).toBe("messages.0.role");
    const wrongFormat = await importRoute.POST(jsonRequest("/api/conversations/import", { format: "other" }));
    expect((await wrongFormat.json()).error.field).toBe("format");
    expect(counts()).toEqual({ conversations: 0, messages: 0 });
  });
});
