/**
 * Issue 20 (Hardening 2), bounded work, on the production server with the tiny model: what a LAN attacker
 * could send to freeze the server, crash it or break other people's answers. Every action here runs while
 * /api/health is polled, and health must keep answering (tests/e2e/support/event-loop.ts).
 */
import { deflateRawSync } from "node:zlib";
import { describe, expect, inject, it } from "vitest";
import { encodeTokenBlob, MAX_RECORDED_TOKENS, type StoredToken } from "@/server/chat/token-blob";
import { expectHealthyThroughout } from "./support/event-loop";
import { rawRequest } from "./support/raw-http";

const now = new Date().toISOString();
const JSON_TYPE = { "Content-Type": "application/json" };

/** Deterministic letters with no space: one "word" the tokenizer cannot cut. */
function word(letters: number, seed: number): string {
  let x = seed;
  let out = "";
  while (out.length < letters) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out += String.fromCharCode(97 + (x % 26));
  }
  return out;
}

function treeExport(title: string, tokens?: string) {
  return {
    format: "bitnet-chat/conversation@2",
    title,
    createdAt: now,
    updatedAt: now,
    params: {},
    messages: [
      { id: "q", parentId: null, role: "user", content: "Say something.", createdAt: now },
      { id: "a", parentId: "q", role: "assistant", content: "Something.", createdAt: now, ...(tokens === undefined ? {} : { tokens }) },
    ],
  };
}

/** A blob header claiming `count` records of `topN` alternatives, then `body`: what a hand-made file can say. */
function craftedTokens(count: number, topN: number, body = Buffer.alloc(0)): string {
  const header = Buffer.alloc(12);
  header.writeUInt32LE(0x31525442, 0);
  header.writeUInt32LE(count, 4);
  header.writeUInt8(topN, 8);
  return deflateRawSync(Buffer.concat([header, body])).toString("base64");
}

function records(count: number, firstId = 1_000): StoredToken[] {
  return Array.from({ length: count }, (_, i) => {
    const id = firstId + i;
    const top = Array.from({ length: 5 }, (_, k) => ({ id: id + k * 7, text: ` w${id + k * 7}`, logprob: -1 - k, rawLogprob: -1 - k }));
    return { id, text: ` w${id}`, logprob: -1, rawLogprob: -1, top };
  });
}

describe("hostile requests stay bounded (production server, tiny model)", () => {
  const baseUrl = inject("baseUrl");
  const post = (path: string, body: unknown) => fetch(`${baseUrl}${path}`, { method: "POST", headers: JSON_TYPE, body: typeof body === "string" ? body : JSON.stringify(body) });
  const titled = async (title: string) => ((await (await fetch(`${baseUrl}/api/conversations?q=${encodeURIComponent(title)}`)).json()) as { conversations: unknown[] }).conversations;

  it("imports a bundle of 3,000 conversations in slices: health keeps answering", async () => {
    const conversations = Array.from({ length: 3_000 }, (_, i) => ({
      format: "bitnet-chat/conversation@1",
      title: `Bulk ${i}`,
      createdAt: now,
      updatedAt: now,
      params: {},
      messages: Array.from({ length: 4 }, (_, j) => ({ role: j % 2 === 0 ? "user" : "assistant", content: `bulk ${i}.${j} ${word(150, i * 4 + j)}`, createdAt: now })),
    }));
    const response = await expectHealthyThroughout(baseUrl, "bundle import", () => post("/api/conversations/import", { format: "bitnet-chat/conversations@1", exportedAt: now, conversations }));
    expect(response.status).toBe(201);
    const imported = ((await response.json()) as { conversations: { id: string }[] }).conversations;
    expect(imported).toHaveLength(3_000);
    // The e2e server is shared by every file: 3,000 fresh conversations would fill the sidebar's first page
    // for the tests after this one (its month groups, its Tab order). They go again.
    for (let i = 0; i < imported.length; i += 50) {
      const statuses = await Promise.all(imported.slice(i, i + 50).map(async ({ id }) => (await fetch(`${baseUrl}/api/conversations/${id}`, { method: "DELETE" })).status));
      expect(statuses.every((status) => status === 204)).toBe(true);
    }
  });

  it("refuses crafted token records with 400 naming the field and stores nothing", async () => {
    const cases: [string, unknown, string, RegExp][] = [
      ["a million records", treeExport("Crafted A", craftedTokens(1_000_000, 5)), "messages[1].tokens", /1000000 records/],
      ["twenty alternatives", treeExport("Crafted B", craftedTokens(10, 20)), "messages[1].tokens", /20 alternatives/],
      ["a compression bomb", treeExport("Crafted C", craftedTokens(4_096, 5, Buffer.alloc(64 * 1024 * 1024))), "messages[1].tokens", /inflates to more than/],
      ["an id outside the vocabulary", treeExport("Crafted D", encodeTokenBlob(records(3, 10_000_000)).toString("base64")), "messages[1].tokens", /outside the model's vocabulary/],
      [
        "a bundle's second conversation",
        { format: "bitnet-chat/conversations@1", exportedAt: now, conversations: [treeExport("Crafted E"), treeExport("Crafted F", craftedTokens(1_000_000, 5))] },
        "conversations[1].messages[1].tokens",
        /1000000 records/,
      ],
    ];
    for (const [what, body, field, message] of cases) {
      const response = await expectHealthyThroughout(baseUrl, what, () => post("/api/conversations/import", body));
      expect(response.status, what).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; field: string; message: string } };
      expect(error, what).toMatchObject({ code: "invalid_request", field });
      expect(error.message, what).toMatch(message);
    }
    expect(await titled("Crafted")).toEqual([]);
  });

  it("a 4,096-token answer: the token view and branching at a huge index answer at once, health keeps answering", async () => {
    const blob = encodeTokenBlob(records(MAX_RECORDED_TOKENS)).toString("base64");
    const imported = await post("/api/conversations/import", treeExport("Longest answer", blob));
    expect(imported.status).toBe(201);
    const { conversation } = (await imported.json()) as { conversation: { id: string; messages: { id: string }[] } };
    const answerId = conversation.messages[1]!.id;
    const view = await expectHealthyThroughout(baseUrl, "token view", () => fetch(`${baseUrl}/api/conversations/${conversation.id}/messages/${answerId}/tokens`));
    expect(view.status).toBe(200);
    expect(((await view.json()) as { tokens: unknown[] }).tokens).toHaveLength(MAX_RECORDED_TOKENS);

    const branch = await expectHealthyThroughout(baseUrl, "branch at a huge index", () =>
      post("/api/chat", { conversationId: conversation.id, mode: "branch", messageId: answerId, tokenIndex: 1_000_000, tokenId: 5 }),
    );
    expect(branch.status).toBe(400);
    expect(((await branch.json()) as { error: { field: string } }).error.field).toBe("tokenIndex");
    // One record past the bound is refused.
    const over = await post("/api/conversations/import", treeExport("One too many", craftedTokens(MAX_RECORDED_TOKENS + 1, 5)));
    expect(over.status).toBe(400);
  });

  it("several long single words at once: health keeps answering between them", async () => {
    const model = ((await (await fetch(`${baseUrl}/v1/models`)).json()) as { data: { id: string }[] }).data[0]!.id;
    const ask = (seed: number) =>
      fetch(`${baseUrl}/v1/chat/completions`, {
        method: "POST",
        headers: JSON_TYPE,
        body: JSON.stringify({ model, max_tokens: 1, messages: [{ role: "user", content: word(4_000, seed) }] }),
      }).then(async (r) => ({ status: r.status, body: await r.text() }));
    // Nine: the one running and the eight the line holds (BITNET_MAX_QUEUE); each word ~2,000 tokens, one
    // tokenized at a time (~40 ms idle). Unlaned, the nine were tokenized back to back.
    const answers = await expectHealthyThroughout(baseUrl, "9 long words", () => Promise.all(Array.from({ length: 9 }, (_, i) => ask(i + 1))));
    for (const a of answers) expect(a.status, a.body.slice(0, 200)).toBe(200);
  });

  it("deletes a conversation of 5,000 messages", async () => {
    const messages = Array.from({ length: 5_000 }, (_, i) => ({ role: i % 2 === 0 ? "user" : "assistant", content: `turn ${i}`, createdAt: now }));
    const imported = await post("/api/conversations/import", { format: "bitnet-chat/conversation@1", title: "Very long chain", createdAt: now, updatedAt: now, params: {}, messages });
    expect(imported.status).toBe(201);
    const { conversation } = (await imported.json()) as { conversation: { id: string } };
    const deleted = await fetch(`${baseUrl}/api/conversations/${conversation.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect((await fetch(`${baseUrl}/api/conversations/${conversation.id}`)).status).toBe(404);
  });

  it("deep JSON, TRACE, a method the route lacks and malformed percent-encoding get a JSON 4xx on every route", async () => {
    const deep = `{"messages":${"[".repeat(50_000)}${"]".repeat(50_000)}}`;
    for (const path of ["/api/chat", "/api/conversations/import", "/api/presets", "/v1/chat/completions"]) {
      const response = await post(path, deep);
      expect(response.status, path).toBe(400);
      expect(response.headers.get("content-type"), path).toMatch(/application\/json/);
    }
    for (const path of ["/api/health", "/api/conversations", "/v1/models", "/"]) {
      const trace = await rawRequest(baseUrl, { method: "TRACE", path });
      expect(trace.status, `TRACE ${path}`).toBe(405);
      expect(JSON.parse(trace.body).error.code).toBe("method_not_allowed");
    }
    for (const [method, path] of [
      ["PUT", "/api/health"],
      ["DELETE", "/api/chat"],
      ["PATCH", "/api/presets"],
      ["PUT", "/"],
    ]) {
      const response = await rawRequest(baseUrl, { method, path });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(JSON.parse(response.body).error.code, `${method} ${path}`).toBe("method_not_allowed");
    }
    const malformed: [string, string][] = [
      ["GET", "/api/conversations/%ff"],
      ["PATCH", "/api/conversations/%ff"],
      ["DELETE", "/api/conversations/%ff"],
      ["GET", "/api/conversations/%ff/export"],
      ["POST", "/api/conversations/%ff/stop"],
      ["GET", "/api/conversations/%ff/stream"],
      ["GET", "/api/conversations/abc/messages/%ff/tokens"],
      ["DELETE", "/api/presets/%ff"],
      ["GET", "/v1/%ff"],
      ["GET", "/c/%ff"],
    ];
    for (const [method, path] of malformed) {
      const response = await rawRequest(baseUrl, { method, path, headers: JSON_TYPE });
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(JSON.parse(response.body).error.code, `${method} ${path}`).toBe("invalid_request");
    }
  });
});
