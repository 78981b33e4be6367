import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logUploadAborts } from "./upload-aborts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

describe("logUploadAborts", () => {
  it("logs a body cut off by the client as one info line, and Next's console.error of it not at all", async () => {
    const lines: string[] = [];
    const consoleError = console.error;
    const errors = vi.fn();
    console.error = errors;
    cleanup.push(() => (console.error = consoleError));
    cleanup.push(logUploadAborts({ info: (line: string) => void lines.push(line) }));
    // Reads the body the way Next does before proxy.ts runs (body-streams.js: 'end' resolves, 'error' rejects).
    let caught!: (error: Error) => void;
    const failure = new Promise<Error>((resolve) => (caught = resolve));
    const server = http.createServer((request, response) => {
      request.resume();
      new Promise((resolve, reject) => {
        request.on("end", resolve);
        request.on("error", reject);
      }).then(() => response.end("ok"), caught);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => server.close());
    const { port } = server.address() as net.AddressInfo;

    const ok = await fetch(`http://127.0.0.1:${port}/api/chat`, { method: "POST", body: "{}" });
    expect(await ok.text()).toBe("ok");
    expect(lines).toEqual([]);

    const socket = net.connect(port, "127.0.0.1");
    socket.write("POST /api/chat?x=1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"content\":");
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    const error = await failure;
    expect(error.name).toBe("AbortError"); // what Next's other stages treat as an abort
    expect(lines).toEqual([expect.stringMatching(/^\[api\] POST \/api\/chat: the connection closed before the request body was complete/)]);
    // Next's proxy stage logs the rethrown error as `console.error(error)`: left out; anything else goes through.
    console.error(error);
    expect(errors).not.toHaveBeenCalled();
    const other = new Error("aborted");
    console.error(other);
    console.error("[chat] the answer failed:", error);
    expect(errors.mock.calls).toEqual([[other], ["[chat] the answer failed:", error]]);
  });
});
