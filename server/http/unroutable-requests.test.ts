/** A method or path no route can take gets the API's JSON error before the app's own listener runs. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { rawRequest } from "@/tests/e2e/support/raw-http";
import { refuseUnroutableRequests, unroutable } from "./unroutable-requests";

describe("unroutable", () => {
  it("refuses unknown methods and malformed percent-encoding anywhere in the path, not in the query", () => {
    expect(unroutable("TRACE", "/api/health")).toMatchObject({ status: 405, code: "method_not_allowed" });
    expect(unroutable("PROPFIND", "/")).toMatchObject({ status: 405 });
    expect(unroutable("GET", "/api/conversations/%ff")).toMatchObject({ status: 400, code: "invalid_request" });
    expect(unroutable("DELETE", "/api/conversations/abc/messages/%e2%82/tokens")).toMatchObject({ status: 400 });
    expect(unroutable("GET", "/api/conversations/%e2%82%ac?q=%ff")).toBeNull();
    for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) expect(unroutable(method, "/api/x")).toBeNull();
  });
});

describe("refuseUnroutableRequests on a real HTTP server", () => {
  let server: http.Server | null = null;
  let stop: (() => void) | null = null;
  afterEach(async () => {
    stop?.();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("answers TRACE and %ff itself, first request included, and passes the rest to the app", async () => {
    stop = refuseUnroutableRequests();
    const seen: string[] = [];
    server = http.createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      if (request.method === "PUT") {
        // What Next does for a route without that method: a 405 streamed, headers first, then nothing.
        response.statusCode = 405;
        response.setHeader("Allow", "GET, HEAD");
        response.flushHeaders();
        response.write("");
        response.end();
        return;
      }
      if (request.method === "PATCH") {
        response.writeHead(405, { Allow: "GET" });
        response.end("Method Not Allowed");
        return;
      }
      response.end("app");
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const trace = await rawRequest(baseUrl, { method: "TRACE", path: "/api/health" });
    expect(trace.status).toBe(405);
    expect(trace.headers["content-type"]).toBe("application/json");
    expect(trace.headers["x-content-type-options"]).toBe("nosniff");
    expect(JSON.parse(trace.body).error.code).toBe("method_not_allowed");

    const malformed = await rawRequest(baseUrl, { method: "DELETE", path: "/api/conversations/%ff" });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body).error).toMatchObject({ code: "invalid_request", message: expect.stringMatching(/percent-encoding/) });

    const fine = await rawRequest(baseUrl, { method: "GET", path: "/api/conversations/%e2%82%ac" });
    expect(fine.body).toBe("app");

    const put = await rawRequest(baseUrl, { method: "PUT", path: "/api/health", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(put.status).toBe(405);
    expect(put.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(put.body).error).toMatchObject({ code: "method_not_allowed", message: "PUT is not supported here" });
    expect(put.headers.allow).toBe("GET, HEAD");
    const patch = await rawRequest(baseUrl, { method: "PATCH", path: "/" });
    expect([patch.status, patch.headers.allow, JSON.parse(patch.body).error.code]).toEqual([405, "GET", "method_not_allowed"]);
    expect((await rawRequest(baseUrl, { method: "GET", path: "/again" })).body).toBe("app");
    expect(seen).toEqual(["GET /api/conversations/%e2%82%ac", "PUT /api/health", "PATCH /", "GET /again"]);
  });
});
