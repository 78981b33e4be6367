import { describe, expect, it } from "vitest";
import { checkRequest, guardConfigFromEnv, isAllowedHost, parseHost } from "./request-guard";

const req = (method: string, pathname: string, headers: Record<string, string>) => ({ method, pathname, headers: new Headers(headers) });

describe("Host allowlist (DNS rebinding)", () => {
  const config = guardConfigFromEnv({});

  it("serves loopback names on any port and refuses every other name", () => {
    for (const host of ["127.0.0.1:3000", "localhost:3000", "LOCALHOST", "[::1]:8080", "localhost.:3000"]) {
      expect(isAllowedHost(host, config), host).toBe(true);
    }
    for (const host of ["evil.example:3000", "evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "", "a b", "x@127.0.0.1"]) {
      expect(isAllowedHost(host, config), host).toBe(false);
    }
    expect(isAllowedHost(null, config)).toBe(false);
  });

  it("refuses a rebinding Host with 403 on reads too", () => {
    const verdict = checkRequest(req("GET", "/api/conversations", { host: "evil.example:3000" }), config);
    expect(verdict).toMatchObject({ allow: false, status: 403, code: "host_not_allowed" });
  });

  it("adds BITNET_ALLOWED_HOSTS (with or without a port) and HOST unless it is all interfaces", () => {
    const configured = guardConfigFromEnv({ BITNET_ALLOWED_HOSTS: "Chat.Example, box.lan:8443", HOST: "192.168.1.5" });
    expect(isAllowedHost("chat.example:3000", configured)).toBe(true);
    expect(isAllowedHost("box.lan:8443", configured)).toBe(true);
    expect(isAllowedHost("box.lan:3000", configured)).toBe(false);
    expect(isAllowedHost("192.168.1.5:3000", configured)).toBe(true);
    expect(guardConfigFromEnv({ HOST: "0.0.0.0" }).allowedHosts).not.toContain("0.0.0.0");
    expect(isAllowedHost("anything:1", guardConfigFromEnv({ BITNET_ALLOWED_HOSTS: "*" }))).toBe(true);
  });

  it("parses IPv6 and rejects hosts with paths or credentials", () => {
    expect(parseHost("[::1]:3000")).toEqual({ hostname: "[::1]", host: "[::1]:3000" });
    expect(parseHost("localhost/x")).toBeNull();
  });
});

describe("Origin check (cross-site writes)", () => {
  const config = guardConfigFromEnv({});

  it("refuses POST/PATCH/DELETE from a foreign origin, null origin or cross-site fetch metadata", () => {
    for (const method of ["POST", "PATCH", "DELETE", "PUT"]) {
      expect(checkRequest(req(method, "/api/conversations/x", { host: "127.0.0.1:3000", origin: "http://evil.example" }), config)).toMatchObject({
        allow: false,
        status: 403,
        code: "origin_not_allowed",
      });
    }
    expect(checkRequest(req("POST", "/api/chat", { host: "127.0.0.1:3000", origin: "null" }), config).allow).toBe(false);
    expect(checkRequest(req("POST", "/api/chat", { host: "127.0.0.1:3000", origin: "http://127.0.0.1:8080" }), config).allow).toBe(false);
    expect(checkRequest(req("POST", "/api/chat", { host: "127.0.0.1:3000", "sec-fetch-site": "cross-site" }), config).allow).toBe(false);
  });

  it("accepts the app's own origin, requests without Origin (curl, SDKs) and foreign-origin reads", () => {
    expect(checkRequest(req("POST", "/api/chat", { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }), config).allow).toBe(true);
    expect(checkRequest(req("DELETE", "/api/conversations/x", { host: "localhost:3000" }), config).allow).toBe(true);
    expect(checkRequest(req("GET", "/api/conversations", { host: "localhost:3000", origin: "http://evil.example" }), config).allow).toBe(true);
  });

  it("lets configured CORS origins call /v1 only", () => {
    const cors = guardConfigFromEnv({ BITNET_CORS_ORIGINS: "https://app.example" });
    const fromApp = { host: "127.0.0.1:3000", origin: "https://app.example" };
    expect(checkRequest(req("POST", "/v1/chat/completions", fromApp), cors)).toEqual({ allow: true, corsOrigin: "https://app.example" });
    expect(checkRequest(req("POST", "/api/chat", fromApp), cors).allow).toBe(false);
    expect(checkRequest(req("POST", "/v1/chat/completions", { ...fromApp, origin: "https://other.example" }), cors).allow).toBe(false);
    expect(checkRequest(req("POST", "/v1/chat/completions", fromApp), config).allow).toBe(false);
  });
});
