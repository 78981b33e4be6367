/**
 * BITNET_AUTH=accounts over the route handlers: every route given another account's conversation, message
 * or preset id answers exactly as for an id that does not exist (404), lists, search, export and the
 * efficiency report show only the account's own rows, and a disabled account is refused at its next request.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { readSseStream } from "@/lib/sse/parse";
import { createUser, updateUser } from "@/server/auth/users";
import { getDb } from "@/server/db/client";
import { createTestEngine } from "@/server/engine/testing/test-engine";
import { until } from "@/server/chat/testing/until";
import { disposeTempDatabase, hostState, jsonRequest, params, useTempDatabase } from "./route-test-support";

vi.mock("@/server/host/model-host", async () => {
  const { mockHost } = await import("./route-test-support");
  return { getModelHost: () => mockHost };
});
process.env.BITNET_AUTH_DELAY_MS = "5";
delete (globalThis as { __bitnetKeyThrottle?: unknown }).__bitnetKeyThrottle;

const sessionRoute = await import("@/app/api/session/route");
const chatRoute = await import("@/app/api/chat/route");
const listRoute = await import("@/app/api/conversations/route");
const itemRoute = await import("@/app/api/conversations/[id]/route");
const stopRoute = await import("@/app/api/conversations/[id]/stop/route");
const streamRoute = await import("@/app/api/conversations/[id]/stream/route");
const exportRoute = await import("@/app/api/conversations/[id]/export/route");
const exportAllRoute = await import("@/app/api/conversations/export/route");
const importRoute = await import("@/app/api/conversations/import/route");
const tokensRoute = await import("@/app/api/conversations/[id]/messages/[messageId]/tokens/route");
const presetsRoute = await import("@/app/api/presets/route");
const presetRoute = await import("@/app/api/presets/[id]/route");
const efficiencyRoute = await import("@/app/api/efficiency/route");
const modelsRoute = await import("@/app/v1/models/route");
const completionsRoute = await import("@/app/v1/chat/completions/route");
const keysRoute = await import("@/app/api/keys/route");
const keyRoute = await import("@/app/api/keys/[id]/route");
const usersRoute = await import("@/app/api/users/route");
const modelRoute = await import("@/app/api/model/route");
const userRoute = await import("@/app/api/users/[id]/route");

beforeEach(() => {
  process.env.BITNET_AUTH = "accounts";
  useTempDatabase();
});
afterEach(async () => {
  delete process.env.BITNET_AUTH;
  await disposeTempDatabase();
});

type As = { cookie: string };
const request = (as: As, url: string, init: RequestInit = {}) =>
  new Request(`http://localhost${url}`, { ...init, headers: { ...(init.body ? { "Content-Type": "application/json" } : {}), Cookie: as.cookie, ...init.headers } });

async function signIn(username: string, password: string): Promise<Response> {
  return sessionRoute.POST(jsonRequest("/api/session", { username, password }));
}

async function account(name: string, role: "admin" | "user" = "user"): Promise<As & { id: string }> {
  const user = await createUser(getDb(), { name, password: `${name} password`, role });
  const response = await signIn(name, `${name} password`);
  expect(response.status).toBe(204);
  return { id: user.id, cookie: response.headers.get("set-cookie")!.split(";")[0]! };
}

async function chat(as: As, content: string, answer: string): Promise<{ id: string; messageId: string }> {
  hostState.engine = createTestEngine({ answer }).engine;
  const response = await chatRoute.POST(request(as, "/api/chat", { method: "POST", body: JSON.stringify({ content }) }));
  expect(response.status).toBe(200);
  let id = "";
  let messageId = "";
  for await (const frame of readSseStream(response.body!)) {
    if (frame.event === "start") id = JSON.parse(frame.data).conversationId;
    if (frame.event === "done") messageId = JSON.parse(frame.data).messageId;
  }
  return { id, messageId };
}

const idsOf = async (response: Response) => ((await response.json()).conversations as { id: string }[]).map((c) => c.id);

describe("accounts (BITNET_AUTH=accounts)", () => {
  it("signs in with name and password; a wrong password, an unknown name and a disabled account get the same 401", async () => {
    const alice = await account("alice", "admin");
    await createUser(getDb(), { name: "carol", password: "carol password", role: "user" });
    const carol = (await getDb().users.getUserByName({ name: "carol" }))!;
    await updateUser(getDb(), { id: carol.id, disabled: true });
    const refusals = [await signIn("alice", "wrong password"), await signIn("nobody", "alice password"), await signIn("carol", "carol password")];
    const bodies = await Promise.all(refusals.map((r) => r.json()));
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(refusals.every((r) => r.headers.get("set-cookie") === null)).toBe(true);
    const info = await (await sessionRoute.GET(request(alice, "/api/session"))).json();
    expect(info).toEqual({ accessKey: false, accounts: true, user: { id: alice.id, name: "alice", role: "admin" } });
    expect((await listRoute.GET(new Request("http://localhost/api/conversations"))).status).toBe(401);
  });

  it("gives 404 on every route for another account's conversation, message and preset ids", async () => {
    const alice = await account("alice", "admin");
    const bob = await account("bob");
    const a = await chat(alice, "alice's secret plan", "Noted, Alice.");
    const b = await chat(bob, "bob's own chat", "Hi Bob.");
    const preset = await (await presetsRoute.POST(request(alice, "/api/presets", { method: "POST", body: JSON.stringify({ name: "Mine", params: { ...DEFAULT_GENERATION_PARAMS, temperature: 0.2 } }) }))).json();
    const as = (id: string) => params({ id });

    const refusals: Record<string, Response> = {
      "GET conversation": await itemRoute.GET(request(bob, `/api/conversations/${a.id}`), as(a.id)),
      "PATCH conversation": await itemRoute.PATCH(request(bob, `/api/conversations/${a.id}`, { method: "PATCH", body: JSON.stringify({ title: "mine now" }) }), as(a.id)),
      "DELETE conversation": await itemRoute.DELETE(request(bob, `/api/conversations/${a.id}`, { method: "DELETE" }), as(a.id)),
      stop: await stopRoute.POST(request(bob, `/api/conversations/${a.id}/stop`, { method: "POST" }), as(a.id)),
      stream: await streamRoute.GET(request(bob, `/api/conversations/${a.id}/stream`), as(a.id)),
      export: await exportRoute.GET(request(bob, `/api/conversations/${a.id}/export?format=json`), as(a.id)),
      tokens: await tokensRoute.GET(request(bob, `/api/conversations/${a.id}/messages/${a.messageId}/tokens`), params({ id: a.id, messageId: a.messageId })),
      "tokens through an own conversation": await tokensRoute.GET(request(bob, `/api/conversations/${b.id}/messages/${a.messageId}/tokens`), params({ id: b.id, messageId: a.messageId })),
      "chat in it": await chatRoute.POST(request(bob, "/api/chat", { method: "POST", body: JSON.stringify({ conversationId: a.id, content: "hi" }) })),
      "DELETE preset": await presetRoute.DELETE(request(bob, `/api/presets/${preset.preset.id}`, { method: "DELETE" }), as(preset.preset.id)),
    };
    for (const [route, response] of Object.entries(refusals)) {
      expect(response.status, route).toBe(404);
      expect((await response.json()).error.code, route).toBe("not_found");
    }
    // The same answer as for ids that do not exist at all.
    const missing = await itemRoute.GET(request(bob, `/api/conversations/${crypto.randomUUID()}`), as(crypto.randomUUID()));
    expect(missing.status).toBe(404);

    // Alice's data is untouched and still hers.
    const mine = await (await itemRoute.GET(request(alice, `/api/conversations/${a.id}`), as(a.id))).json();
    expect(mine.title).toBe("alice's secret plan");
    expect(mine.messages).toHaveLength(2);
    expect((await tokensRoute.GET(request(alice, `/x`), params({ id: a.id, messageId: a.messageId }))).status).toBe(200);
    expect((await (await presetsRoute.GET(request(alice, "/api/presets"))).json()).presets.map((p: { name: string }) => p.name)).toEqual(["Mine"]);
  });

  it("another account cannot stop, follow, delete or answer into a conversation whose answer is running", async () => {
    const alice = await account("alice", "admin");
    const bob = await account("bob");
    const model = createTestEngine({ answer: "A long answer that is still being written while Bob tries.", gated: true });
    hostState.engine = model.engine;
    const response = await chatRoute.POST(request(alice, "/api/chat", { method: "POST", body: JSON.stringify({ content: "hi" }) }));
    const frames = readSseStream(response.body!)[Symbol.asyncIterator]();
    const start = await frames.next();
    const id = JSON.parse(start.value!.data).conversationId as string;
    await until(() => model.gate!.waiting() > 0);
    const tries = {
      stop: await stopRoute.POST(request(bob, `/api/conversations/${id}/stop`, { method: "POST" }), params({ id })),
      stream: await streamRoute.GET(request(bob, `/api/conversations/${id}/stream`), params({ id })),
      delete: await itemRoute.DELETE(request(bob, `/api/conversations/${id}`, { method: "DELETE" }), params({ id })),
      chat: await chatRoute.POST(request(bob, "/api/chat", { method: "POST", body: JSON.stringify({ conversationId: id, content: "me too" }) })),
    };
    for (const [route, refused] of Object.entries(tries)) expect(refused.status, route).toBe(404);
    model.gate!.open();
    let last = "";
    for (let frame = await frames.next(); !frame.done; frame = await frames.next()) last = frame.value.event;
    expect(last).toBe("done");
    const saved = await (await itemRoute.GET(request(alice, `/api/conversations/${id}`), params({ id }))).json();
    expect(saved.messages.at(-1)).toMatchObject({ status: "complete", content: "A long answer that is still being written while Bob tries." });
  });

  it("fair share: an account with BITNET_USER_MAX_ACTIVE answers running or queued gets 429 for one more; others still get theirs", async () => {
    process.env.BITNET_USER_MAX_ACTIVE = "1";
    try {
      const alice = await account("alice", "admin");
      const bob = await account("bob");
      const model = createTestEngine({ answer: "Held until the gate opens.", gated: true });
      hostState.engine = model.engine;
      const send = (as: As) => chatRoute.POST(request(as, "/api/chat", { method: "POST", body: JSON.stringify({ content: "hi" }) }));
      const first = await send(alice);
      expect(first.status).toBe(200);
      const refused = await send(alice);
      expect(refused.status).toBe(429);
      expect((await refused.json()).error).toMatchObject({ code: "busy", message: expect.stringMatching(/at most 1 per person/) });
      const other = await send(bob);
      expect(other.status).toBe(200);
      model.gate!.open();
      for (const response of [first, other]) for await (const frame of readSseStream(response.body!)) void frame;
      await until(async () => (await send(alice).then(async (r) => (r.status === 200 ? (await r.body?.cancel(), true) : false))));
    } finally {
      delete process.env.BITNET_USER_MAX_ACTIVE;
    }
  });

  it("fair share counts /v1 answers too, and frees the place when they end", async () => {
    process.env.BITNET_USER_MAX_ACTIVE = "1";
    try {
      const bob = await account("bob");
      const made = await (await keysRoute.POST(request(bob, "/api/keys", { method: "POST", body: JSON.stringify({ name: "script" }) }))).json();
      const model = createTestEngine({ answer: "Held.", gated: true });
      hostState.engine = model.engine;
      const v1 = () =>
        completionsRoute.POST(
          new Request("http://localhost/v1/chat/completions", {
            method: "POST",
            headers: { "Content-Type": "application/json", Authorization: `Bearer ${made.key}` },
            body: JSON.stringify({ model: hostState.status.modelId, messages: [{ role: "user", content: "hi" }] }),
          }),
        );
      const held = await chatRoute.POST(request(bob, "/api/chat", { method: "POST", body: JSON.stringify({ content: "hi" }) }));
      const refused = await v1();
      expect(refused.status).toBe(429);
      expect((await refused.json()).error).toMatchObject({ type: "rate_limit_error", code: "too_many_answers" });
      model.gate!.open();
      for await (const frame of readSseStream(held.body!)) void frame;
      await until(async () => {
        const response = await v1();
        return response.status === 200;
      });
      expect((await v1()).status).toBe(200); // the /v1 answer before it gave its place back
    } finally {
      delete process.env.BITNET_USER_MAX_ACTIVE;
    }
  });

  it("lists, searches, exports, presets and the efficiency report show each account only its own", async () => {
    const alice = await account("alice", "admin");
    const bob = await account("bob");
    const a = await chat(alice, "the moon orbits", "Yes, the moon orbits Earth.");
    const b = await chat(bob, "the sun and the moon", "Both shine.");
    expect(await idsOf(await listRoute.GET(request(alice, "/api/conversations")))).toEqual([a.id]);
    expect(await idsOf(await listRoute.GET(request(bob, "/api/conversations")))).toEqual([b.id]);
    expect(await idsOf(await listRoute.GET(request(alice, "/api/conversations?q=moon")))).toEqual([a.id]);
    expect(await idsOf(await listRoute.GET(request(bob, "/api/conversations?q=moon")))).toEqual([b.id]);
    expect(await idsOf(await listRoute.GET(request(bob, "/api/conversations?q=orbits")))).toEqual([]);

    const bundle = await (await exportAllRoute.GET(request(bob, "/api/conversations/export"))).json();
    expect(bundle.conversations.map((c: { title: string }) => c.title)).toEqual(["the sun and the moon"]);

    // The same preset name for both: two presets, each seen only by its owner.
    for (const [as, t] of [[alice, 0.1], [bob, 0.9]] as const) {
      expect((await presetsRoute.POST(request(as, "/api/presets", { method: "POST", body: JSON.stringify({ name: "Focus", params: { ...DEFAULT_GENERATION_PARAMS, temperature: t } }) }))).status).toBe(201);
    }
    const presetsOf = async (as: As) => (await (await presetsRoute.GET(request(as, "/api/presets"))).json()).presets.map((p: { params: { temperature: number } }) => p.params.temperature);
    expect([await presetsOf(alice), await presetsOf(bob)]).toEqual([[0.1], [0.9]]);

    const report = await (await efficiencyRoute.GET(request(bob, "/api/efficiency"))).json();
    expect(JSON.stringify(report)).not.toContain(a.messageId);
    expect(JSON.stringify(report)).toContain(b.messageId);

    // An import lands in the importer's account only.
    const imported = await importRoute.POST(request(bob, "/api/conversations/import", { method: "POST", body: JSON.stringify(bundle) }));
    expect(imported.status).toBe(201);
    expect(await idsOf(await listRoute.GET(request(alice, "/api/conversations")))).toEqual([a.id]);
    expect(await idsOf(await listRoute.GET(request(bob, "/api/conversations")))).toHaveLength(2);
  });

  it("a disabled account is refused at its next request; enabled again, it must sign in anew", async () => {
    const alice = await account("alice", "admin");
    const bob = await account("bob");
    expect((await listRoute.GET(request(bob, "/api/conversations"))).status).toBe(200);
    await updateUser(getDb(), { id: bob.id, disabled: true });
    expect((await listRoute.GET(request(bob, "/api/conversations"))).status).toBe(401);
    await updateUser(getDb(), { id: bob.id, disabled: false });
    expect((await listRoute.GET(request(bob, "/api/conversations"))).status).toBe(401);
    expect((await listRoute.GET(request(alice, "/api/conversations"))).status).toBe(200);
  });

  it("/v1 takes an account's own API keys: shown once, revoked by their account only, refused once revoked or disabled", async () => {
    const alice = await account("alice", "admin");
    const bob = await account("bob");
    process.env.BITNET_API_KEY = "the single key";
    const models = (key: string) => modelsRoute.GET(new Request("http://localhost/v1/models", { headers: { Authorization: `Bearer ${key}` } }));
    try {
      const made = await keysRoute.POST(request(bob, "/api/keys", { method: "POST", body: JSON.stringify({ name: "laptop" }) }));
      expect(made.status).toBe(201);
      const key = (await made.json()) as { id: string; key: string };
      expect(key.key).toMatch(/^bnk_[A-Za-z0-9_-]{43}$/);
      const listed = JSON.stringify(await (await keysRoute.GET(request(bob, "/api/keys"))).json());
      expect(listed).toContain("laptop");
      expect(listed).not.toContain(key.key);
      expect((await (await keysRoute.GET(request(alice, "/api/keys"))).json()).keys).toEqual([]);

      expect((await models(key.key)).status).toBe(200);
      expect((await models("the single key")).status).toBe(401); // BITNET_API_KEY is not used with accounts
      expect((await keyRoute.DELETE(request(alice, `/api/keys/${key.id}`, { method: "DELETE" }), params({ id: key.id }))).status).toBe(404);
      expect((await models(key.key)).status).toBe(200);

      await updateUser(getDb(), { id: bob.id, disabled: true });
      expect((await models(key.key)).status).toBe(401);
      await updateUser(getDb(), { id: bob.id, disabled: false });
      const again = await signIn("bob", "bob password");
      const bob2 = { cookie: again.headers.get("set-cookie")!.split(";")[0]! };
      expect((await keyRoute.DELETE(request(bob2, `/api/keys/${key.id}`, { method: "DELETE" }), params({ id: key.id }))).status).toBe(204);
      expect((await models(key.key)).status).toBe(401);
    } finally {
      delete process.env.BITNET_API_KEY;
    }
  });
});

describe("/api/users (admins)", () => {
  const post = (as: As, body: unknown) => usersRoute.POST(request(as, "/api/users", { method: "POST", body: JSON.stringify(body) }));
  const patch = (as: As, id: string, body: unknown) => userRoute.PATCH(request(as, `/api/users/${id}`, { method: "PATCH", body: JSON.stringify(body) }), params({ id }));
  const remove = (as: As, id: string, keepData: 0 | 1) => userRoute.DELETE(request(as, `/api/users/${id}?keepData=${keepData}`, { method: "DELETE" }), params({ id }));

  it("only admins manage users; a created account signs in; no password hash is ever returned", async () => {
    const alice = await account("alice", "admin");
    const bob = await account("bob");
    expect((await usersRoute.GET(request(bob, "/api/users"))).status).toBe(403);
    expect((await post(bob, { name: "eve", password: "eve password" })).status).toBe(403);
    const created = await post(alice, { name: "Dave", password: "dave password" });
    expect(created.status).toBe(201);
    const text = JSON.stringify(await (await usersRoute.GET(request(alice, "/api/users"))).json());
    expect(text).toContain('"name":"dave"');
    expect(text).not.toMatch(/scrypt|password/i);
    expect((await post(alice, { name: "dave", password: "other password" })).status).toBe(409);
    expect((await post(alice, { name: "x", password: "short" })).status).toBe(400);
    expect((await signIn("dave", "dave password")).status).toBe(204);
  });

  it("only an admin switches or reloads the model everyone shares", async () => {
    const alice = await account("alice", "admin");
    const bob = await account("bob");
    const action = (as: As) => modelRoute.POST(request(as, "/api/model", { method: "POST", body: JSON.stringify({ action: "retry" }) }));
    expect((await action(bob)).status).toBe(403);
    expect(hostState.actions).toEqual([]);
    expect((await action(alice)).status).toBe(202);
    expect(hostState.actions).toEqual(["retry"]);
  });

  it("disabling or a new password ends the account's sessions; the last admin cannot be demoted, disabled or delete itself", async () => {
    const alice = await account("alice", "admin");
    const bob = await account("bob");
    expect((await patch(alice, bob.id, { password: "bob new password" })).status).toBe(200);
    expect((await listRoute.GET(request(bob, "/api/conversations"))).status).toBe(401);
    const again = await signIn("bob", "bob new password");
    expect(again.status).toBe(204);
    const bob2 = { cookie: again.headers.get("set-cookie")!.split(";")[0]! };
    expect((await patch(alice, bob.id, { disabled: true })).status).toBe(200);
    expect((await listRoute.GET(request(bob2, "/api/conversations"))).status).toBe(401);
    expect((await signIn("bob", "bob new password")).status).toBe(401);
    for (const body of [{ role: "user" }, { disabled: true }]) expect((await patch(alice, alice.id, body)).status).toBe(409);
    expect((await remove(alice, alice.id, 1)).status).toBe(409);
    expect((await patch(alice, crypto.randomUUID(), { disabled: true })).status).toBe(404);
  });

  it("deletes an account with its data, or gives its data to the admin deleting it", async () => {
    const alice = await account("alice", "admin");
    const bob = await account("bob");
    const carol = await account("carol");
    const b = await chat(bob, "bob's chat", "kept");
    const c = await chat(carol, "carol's chat", "dropped");
    expect((await remove(alice, bob.id, 1)).status).toBe(204);
    expect((await remove(alice, carol.id, 0)).status).toBe(204);
    expect((await idsOf(await listRoute.GET(request(alice, "/api/conversations")))).sort()).toEqual([b.id]);
    expect((await itemRoute.GET(request(alice, `/api/conversations/${c.id}`), params({ id: c.id }))).status).toBe(404);
    expect((await listRoute.GET(request(bob, "/api/conversations"))).status).toBe(401);
  });
});
