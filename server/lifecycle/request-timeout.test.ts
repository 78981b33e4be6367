import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { limitRequestTime } from "./request-timeout";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

describe("limitRequestTime", () => {
  it("cuts a request whose body never finishes with 408, and leaves finished requests alone", async () => {
    cleanup.push(limitRequestTime(300));
    const server = http.createServer({ connectionsCheckingInterval: 50 }, (request, response) => {
      request.resume();
      request.on("end", () => response.end("ok"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => server.close());
    const { port } = server.address() as net.AddressInfo;

    // A normal request first (it is what hands the server to limitRequestTime).
    const ok = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "hello" });
    expect(await ok.text()).toBe("ok");
    expect(server.requestTimeout).toBe(300);

    const socket = net.connect(port, "127.0.0.1");
    cleanup.push(() => socket.destroy());
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{");
    const drip = setInterval(() => socket.write(" "), 50);
    cleanup.push(() => clearInterval(drip));
    const started = Date.now();
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
