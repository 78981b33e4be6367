/**
 * BITNET_TRUSTED_USER_HEADER: the named account is signed in only when the connection's own peer is one of
 * BITNET_TRUSTED_PROXIES — the peer stamped from the socket as the request arrives, which no header can fake.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stampClientAddresses } from "@/server/auth/client-address";
import { trustedProxyFromEnv } from "@/server/auth/trusted-proxy";
import { createUser, updateUser } from "@/server/auth/users";
import { openTempDb, type TempDb } from "@/server/db/testing/temp-db";
import { signedInUser } from "./session-auth";

describe("a user named by a trusted reverse proxy", () => {
  let server: Server;
  let url = "";
  let t: TempDb;
  let unstamp: () => void;
  beforeAll(async () => {
    unstamp = stampClientAddresses();
    t = openTempDb();
    await createUser(t.store, { name: "alice", password: "alice password", role: "user" });
    await createUser(t.store, { name: "mallory", password: "mallory password", role: "user" });
    // Answers with the name of the account the request signs in, as the app's handlers see the headers.
    server = createServer((request, response) => {
      const headers = new Headers(Object.entries(request.headers).map(([k, v]): [string, string] => [k, String(v)]));
      void signedInUser(headers, t.store).then((user) => response.end(user?.name ?? "nobody"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    unstamp();
    delete process.env.BITNET_TRUSTED_USER_HEADER;
    delete process.env.BITNET_TRUSTED_PROXIES;
    await new Promise((resolve) => server.close(resolve));
    t.dispose();
  });
  const as = async (headers: Record<string, string>) => (await fetch(url, { headers })).text();

  it("takes the header only from a listed peer address, never from a forged peer or forwarded header", async () => {
    process.env.BITNET_TRUSTED_USER_HEADER = "X-Forwarded-User";
    process.env.BITNET_TRUSTED_PROXIES = "10.9.9.9";
    expect(await as({ "X-Forwarded-User": "alice" })).toBe("nobody");
    expect(await as({ "X-Forwarded-User": "alice", "X-Bitnet-Peer-Address": "10.9.9.9", "X-Forwarded-For": "10.9.9.9" })).toBe("nobody");
    process.env.BITNET_TRUSTED_PROXIES = "10.9.9.9, 127.0.0.1";
    expect(await as({ "X-Forwarded-User": "Alice" })).toBe("alice");
    expect(await as({ "X-Forwarded-User": "nobody-here" })).toBe("nobody");
    expect(await as({})).toBe("nobody");
    const mallory = (await t.store.users.getUserByName({ name: "mallory" }))!;
    await updateUser(t.store, { id: mallory.id, disabled: true });
    expect(await as({ "X-Forwarded-User": "mallory" })).toBe("nobody");
  });

  it("needs both settings, and addresses in the list", () => {
    expect(trustedProxyFromEnv({})).toBeNull();
    expect(() => trustedProxyFromEnv({ BITNET_TRUSTED_USER_HEADER: "X-Forwarded-User" })).toThrow(/go together/);
    expect(() => trustedProxyFromEnv({ BITNET_TRUSTED_USER_HEADER: "X-User", BITNET_TRUSTED_PROXIES: "proxy.lan" })).toThrow(/IP addresses/);
    expect(trustedProxyFromEnv({ BITNET_TRUSTED_USER_HEADER: "X-User", BITNET_TRUSTED_PROXIES: "::ffff:10.0.0.1,::1" })).toEqual({ header: "x-user", proxies: new Set(["10.0.0.1", "::1"]) });
  });
});
